package io.djangouserbackup.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Real Django judges the empty schemas {@link DjangoSchema} lays down on SQLite, PostgreSQL and MariaDB: with the
 * same apps installed ({@code interop/djangoproject/site_settings/minimal.py}), {@code migrate --check} finds
 * nothing to apply, {@code showmigrations} lists every migration as applied, and a real {@code migrate} afterwards
 * adds no content type and no permission (its post-migrate handlers find them all present).
 */
class DjangoSchemaTest {

    /** Run by Django with the minimal settings; prints one verdict line. */
    private static final String DJANGO_CHECK = """
            import io, django
            django.setup()
            from django.core.management import call_command
            from django.contrib.contenttypes.models import ContentType
            from django.contrib.auth.models import Permission
            call_command('migrate', check_unapplied=True, verbosity=0)
            shown = io.StringIO()
            call_command('showmigrations', stdout=shown)
            def state():
                return (sorted(ContentType.objects.values_list('id', 'app_label', 'model')),
                        sorted(Permission.objects.values_list('id', 'content_type__app_label', 'codename', 'name')))
            before = state()
            call_command('migrate', verbosity=0)
            print('unapplied=%d applied=%d contenttypes=%d permissions=%d unchanged=%s' % (
                shown.getvalue().count('[ ]'), shown.getvalue().count('[X]'), len(before[0]), len(before[1]),
                before == state()))
            """;

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"auth", "auth-chat"})
    void djangoAgreesSqliteIsMigrated(String variant) throws Exception {
        Path file = dir.resolve(variant + ".sqlite3");
        schema(variant).createSqlite(file);
        String verdict = djangoOnSqlite(file, variant);
        assertVerdict(verdict, variant);
    }

    @ParameterizedTest
    @ValueSource(strings = {"auth", "auth-chat"})
    void djangoAgreesPostgresIsMigrated(String variant) {
        ServerDatabase database = PostgresServer.SERVER.createEmpty();
        schema(variant).createIn(database.django());
        assertVerdict(PostgresServer.SERVER.django(database, env(variant), List.of("-c", DJANGO_CHECK)), variant);
        database.server().drop(database.name());
    }

    @ParameterizedTest
    @ValueSource(strings = {"auth", "auth-chat"})
    void djangoAgreesMariaDbIsMigrated(String variant) {
        ServerDatabase database = MariaDbServer.SERVER.createEmpty();
        schema(variant).createIn(database.django());
        assertVerdict(MariaDbServer.SERVER.django(database, env(variant), List.of("-c", DJANGO_CHECK)), variant);
        database.server().drop(database.name());
    }

    @Test
    void extraSqlRunsAfterDjangosTablesAndAnExistingSchemaIsRefused() {
        Path file = dir.resolve("extra.sqlite3");
        String billing = "-- an app of the test's own\nCREATE TABLE billing_invoice (\n  id integer PRIMARY KEY,\n"
                + "  user_id integer NOT NULL REFERENCES auth_user (id)\n);\n";
        // A user that does not exist: foreign keys are enforced, the statement fails and no file is left.
        assertThatThrownBy(() -> DjangoSchema.auth().withSql(billing + "INSERT INTO billing_invoice VALUES (1, 1);")
                .createSqlite(file)).isInstanceOf(DatabaseAccessException.class).hasMessageContaining("statement 62 of 62");
        assertThat(file).doesNotExist();
        DjangoDatabase database = DjangoSchema.auth().withSql(billing).createSqlite(file);
        assertThat(DjangoSchema.auth().withSql("\\restrict abc\n-- comment\nCREATE TABLE x (id integer);\n\\unrestrict abc\n")
                .statements("sqlite")).last().isEqualTo("CREATE TABLE x (id integer)");
        assertThat(DjangoSchema.auth().withSql(billing).statements("sqlite"))
                .last().isEqualTo("CREATE TABLE billing_invoice (\n  id integer PRIMARY KEY,\n"
                        + "  user_id integer NOT NULL REFERENCES auth_user (id)\n)");
        assertThatThrownBy(() -> DjangoSchema.auth().createIn(database))
                .isInstanceOf(IncompatibleDatabaseException.class).hasMessageContaining("django_migrations");
        assertThatThrownBy(() -> DjangoSchema.auth().createSqlite(file)).isInstanceOf(OutputExistsException.class);
    }

    private static DjangoSchema schema(String variant) {
        return variant.equals("auth") ? DjangoSchema.auth() : DjangoSchema.authAndOpenAiModels();
    }

    private static Map<String, String> env(String variant) {
        return Map.of("DJANGO_SETTINGS_MODULE", "site_settings.minimal", "DJANGO_MINIMAL_CHAT",
                variant.equals("auth") ? "0" : "1");
    }

    private static void assertVerdict(String verdict, String variant) {
        // contenttypes 2 + auth 12 (+ chat 1) migrations; 4 (+1) content types with 4 permissions each.
        assertThat(verdict.trim()).isEqualTo(variant.equals("auth")
                ? "unapplied=0 applied=14 contenttypes=4 permissions=16 unchanged=True"
                : "unapplied=0 applied=15 contenttypes=5 permissions=20 unchanged=True");
    }

    private String djangoOnSqlite(Path file, String variant) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(DatabaseServer.PYTHON.toString(), "-c", DJANGO_CHECK)
                .directory(DatabaseServer.djangoProject().toFile());
        builder.environment().remove("DJANGO_DB_URL");
        builder.environment().put("DJANGO_DB_PATH", file.toString());
        builder.environment().put("PYTHONDONTWRITEBYTECODE", "1");
        builder.environment().putAll(env(variant));
        Path err = dir.resolve("err.txt");
        builder.redirectError(err.toFile());
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as("Django: %s", Files.readString(err)).isZero();
        return out;
    }
}
