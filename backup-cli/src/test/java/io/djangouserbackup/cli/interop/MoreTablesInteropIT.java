package io.djangouserbackup.cli.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.djangouserbackup.core.DatabaseServer;
import io.djangouserbackup.core.MariaDbServer;
import io.djangouserbackup.core.PostgresServer;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11 with real third-party apps from Debian (DRF's authtoken, django-allauth, django-otp's TOTP devices,
 * django-guardian) and the extras app (a profile keyed by its user, a second many-to-many to users): Django builds
 * them in SQLite, the jar exports with {@code --all-user-tables} and imports, without any option, into a database
 * migrated with other apps first (other content-type and permission ids), on SQLite, PostgreSQL and MariaDB. The
 * apps' own code judges the result ({@code interop/scenarios/more_tables.py check}): every token authenticates
 * as its user, a TOTP code computed from each restored device verifies, guardian resolves every object
 * permission, allauth finds each primary address; sessions and the admin log stay behind.
 */
class MoreTablesInteropIT {
    @TempDir
    static Path shared;
    static Path expected;
    static Path backup;
    static Finished built;

    @TempDir
    Path dir;

    @BeforeAll
    static void buildSourceAndTakeBackup() {
        Django.require();
        Cli.jar();
        Django source = Django.on(shared.resolve("source.sqlite3")).withMoreApps();
        expected = shared.resolve("expected.json");
        built = step(source, "build", "--out", expected.toString());
        backup = shared.resolve("backup.json");
        Finished exported = Cli.run(shared, "export", "--db", source.db().toString(), "--all-user-tables", backup.toString());
        assertThat(exported.exitCode()).as(exported::describe).isZero();
    }

    static Finished step(Django django, String... args) {
        Finished finished = django.run("more_tables.py", args);
        assertThat(finished.exitCode()).as(() -> "more_tables.py disagrees:\n" + finished.describe()).isZero();
        return finished;
    }

    /** The apps on the restored database agree with the source, whose content-type and permission ids differ. */
    static void judge(Django restored, String... options) {
        String[] args = new String[options.length + 3];
        args[0] = "check";
        args[1] = "--expected";
        args[2] = expected.toString();
        System.arraycopy(options, 0, args, 3, options.length);
        Finished verdict = step(restored, args);
        assertThat(verdict.factLong("checked_tokens")).isEqualTo(20);
        assertThat(verdict.factLong("checked_totp")).isEqualTo(10);
        assertThat(verdict.factLong("checked_object_permissions")).isGreaterThan(10);
        assertThat(verdict.factLong("created_after_restore")).isEqualTo(3);
        assertThat(verdict.factLong("sessions")).isZero();
        assertThat(verdict.factLong("admin_log_entries")).isZero();
        assertThat(verdict.fact("ct.chat.openaimodel")).isNotEqualTo(built.fact("ct.chat.openaimodel"));
        assertThat(verdict.fact("perm.chat.change_openaimodel")).isNotEqualTo(built.fact("perm.chat.change_openaimodel"));
    }

    @Test
    void sqlite_theAppsAcceptTheRestoreAndASecondImportChangesNothing() {
        Finished verified = Cli.run(dir, "verify", backup.toString());
        assertThat(verified.exitCode()).as(verified::describe).isZero();
        Django target = Django.on(dir.resolve("target.sqlite3")).withMoreApps().withExtraApps(DjangoInteropIT.EXTRA_APPS);
        step(target, "migrate");

        Cli.importInto(target.db(), "merge", backup);

        judge(target);
        Finished dryRun = Cli.run(dir, "import", "--db", target.db().toString(), "--dry-run", backup.toString());
        assertThat(dryRun.exitCode()).as(dryRun::describe).isZero();
        assertThat(dryRun.stdout()).contains("authtoken_token").doesNotContain(" created ").doesNotContain(" updated ");
        Cli.importInto(target.db(), "replace", backup);
        judge(target);
    }

    /**
     * Issue 13: the source's {@code manage.py dumpdata --natural-foreign} (a Django fixture of users, groups and
     * every app's table) imported with {@code import --all-user-tables} into a shifted target; the apps judge it.
     * Without the option, the first app's model is refused by name and nothing is written.
     */
    @Test
    void djangoFixture_dumpdataNaturalForeign_importedWithTheAppsTables() throws Exception {
        Django source = Django.on(shared.resolve("source.sqlite3")).withMoreApps();
        Path fixture = dir.resolve("dumpdata.json");
        Finished dumped = step(source, "dump", "--out", fixture.toString());
        assertThat(dumped.fact("models")).contains("authtoken.token", "account.emailaddress", "otp_totp.totpdevice",
                "guardian.userobjectpermission", "extras.profile");
        Django target = Django.on(dir.resolve("target.sqlite3")).withMoreApps().withExtraApps(DjangoInteropIT.EXTRA_APPS);
        step(target, "migrate");
        byte[] before = java.nio.file.Files.readAllBytes(target.db());

        Finished refused = Cli.tryImport(target.db(), "merge", fixture);
        assertThat(refused.exitCode()).as(refused::describe).isEqualTo(4);
        assertThat(refused.stderr()).contains("is not a model this tool restores").contains("import --table");
        assertThat(java.nio.file.Files.readAllBytes(target.db())).isEqualTo(before);

        Finished imported = Cli.run(dir, "import", "--db", target.db().toString(), "--all-user-tables", "--yes",
                fixture.toString());
        assertThat(imported.exitCode()).as(imported::describe).isZero();

        // Django's serializer kept milliseconds of the tokens' times: the measure is the source as dumpdata wrote it.
        judge(target, "--milliseconds");
        Finished again = Cli.run(dir, "import", "--db", target.db().toString(), "--all-user-tables", "--dry-run",
                fixture.toString());
        assertThat(again.exitCode()).as(again::describe).isZero();
        assertThat(again.stdout()).contains("authtoken_token").doesNotContain(" created ").doesNotContain(" updated ");
    }

    private static void onServer(DatabaseServer server, String passwordVariable) {
        server.require();
        Path dir = shared.resolve(server.getClass().getSimpleName());
        dir.toFile().mkdirs();
        String url = server.createEmpty().djangoUrl();
        Django target = Django.onServer(url, dir).withMoreApps().withExtraApps(DjangoInteropIT.EXTRA_APPS);
        step(target, "migrate");
        String withoutPassword = url.replaceFirst("^([a-z]+)://([^:@]+):[^@]*@", "$1://$2@");

        Cli.runOnServer(dir, passwordVariable, server.password(), "import", "--url", withoutPassword, "--yes", backup.toString());
        judge(target);

        // And back: the server's own backup, with the same option, into SQLite.
        Path fromServer = dir.resolve("from-server.json");
        Cli.runOnServer(dir, passwordVariable, server.password(), "export", "--url", withoutPassword, "--all-user-tables",
                fromServer.toString());
        Django back = Django.on(dir.resolve("back.sqlite3")).withMoreApps().withExtraApps(DjangoInteropIT.EXTRA_APPS);
        step(back, "migrate");
        Cli.importInto(back.db(), "merge", fromServer);
        judge(back);
    }

    @Test
    void postgresql_theAppsAcceptTheRestoreAndItComesBack() {
        onServer(PostgresServer.SERVER, "PGPASSWORD");
    }

    @Test
    void mariadb_theAppsAcceptTheRestoreAndItComesBack() {
        onServer(MariaDbServer.SERVER, "MYSQL_PWD");
    }
}
