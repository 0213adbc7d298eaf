package io.djangouserbackup.cli.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, export half, judged by Django's own {@code loaddata} and {@code dumpdata}: {@code export --format django
 * --all-user-tables} of a source filled by Django and real third-party apps (DRF tokens, allauth addresses, TOTP
 * devices, guardian object permissions, profiles keyed by their user, projects with a many-to-many to users), loaded
 * with {@code manage.py loaddata} into a database migrated with other apps first (so every content-type and
 * permission id differs), gives the same {@code dumpdata --natural-foreign --natural-primary} as the source, the apps'
 * own code accepts every row ({@code more_tables.py check}), and every password verifies.
 */
class DjangoFixtureExportInteropIT {
    static final String PASSWORD = "more-tables-pw";

    @TempDir
    static Path shared;
    static Django source;
    static Path expected;
    static Path sourceDump;
    static Finished built;

    @TempDir
    Path dir;

    @BeforeAll
    static void buildSource() {
        Django.require();
        Cli.jar();
        source = Django.on(shared.resolve("source.sqlite3")).withMoreApps();
        expected = shared.resolve("expected.json");
        built = MoreTablesInteropIT.step(source, "build", "--out", expected.toString());
        sourceDump = shared.resolve("source-dump.json");
    }

    private static Finished fixtureStep(Django django, String... args) {
        Finished finished = django.run("django_fixture.py", args);
        assertThat(finished.exitCode()).as(() -> "django_fixture.py disagrees:\n" + finished.describe()).isZero();
        return finished;
    }

    /** The apps' own code accepts every loaded row; the target's content-type and permission ids differ from the source's. */
    private static void judge(Django target) {
        Finished verdict = MoreTablesInteropIT.step(target, "check", "--expected", expected.toString());
        assertThat(verdict.factLong("checked_tokens")).isEqualTo(20);
        assertThat(verdict.factLong("checked_totp")).isEqualTo(10);
        assertThat(verdict.factLong("checked_object_permissions")).isGreaterThan(10);
        assertThat(verdict.fact("ct.chat.openaimodel")).isNotEqualTo(built.fact("ct.chat.openaimodel"));
        assertThat(verdict.fact("perm.chat.change_openaimodel")).isNotEqualTo(built.fact("perm.chat.change_openaimodel"));
    }

    @Test
    void sqlite_loaddataOfTheExportGivesDjangoTheSameDataWhateverTheIds() throws Exception {
        Path fixture = dir.resolve("fixture.json");
        Finished exported = Cli.run(dir, "export", "--db", source.db().toString(), "--format", "django",
                "--all-user-tables", fixture.toString());
        assertThat(exported.exitCode()).as(exported::describe).isZero();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(fixture))).isEqualTo("rw-------");

        Django target = Django.on(dir.resolve("target.sqlite3")).withMoreApps().withExtraApps(DjangoInteropIT.EXTRA_APPS);
        MoreTablesInteropIT.step(target, "migrate");
        Finished loaded = fixtureStep(target, "loaddata", fixture.toString());
        assertThat(loaded.stdout()).contains("Installed");

        Finished sourceView = fixtureStep(source, "dump", "--fixture", fixture.toString(), "--out", sourceDump.toString());
        Path targetDump = dir.resolve("target-dump.json");
        Finished targetView = fixtureStep(target, "dump", "--fixture", fixture.toString(), "--out", targetDump.toString());
        assertThat(sourceView.fact("models")).contains("auth.user", "auth.group", "chat.openaimodel", "authtoken.token",
                "extras.profile", "extras.project", "guardian.userobjectpermission", "otp_totp.totpdevice");
        assertThat(sourceView.factLong("objects")).isGreaterThan(100);
        assertThat(Files.readString(targetDump)).isEqualTo(Files.readString(sourceDump));

        judge(target);
        Finished passwords = fixtureStep(target, "passwords", "--password", PASSWORD);
        assertThat(passwords.factLong("checked_passwords")).isEqualTo(30);
    }

    /**
     * The custom user model ({@code accounts.User}, extra columns of every kind: decimals, dates, texts) with many
     * OpenAI model assignments: the label comes from the user table, and dumpdata agrees after loaddata.
     */
    @Test
    void sqlite_customUserModel_loaddataGivesTheSameDumpdata() throws Exception {
        Django custom = Django.on(dir.resolve("custom.sqlite3")).custom();
        custom.step("build-source", "--users", "60", "--passwords-out", dir.resolve("passwords.json").toString());
        Path fixture = dir.resolve("custom.json");
        Finished exported = Cli.run(dir, "export", "--db", custom.db().toString(), "--format", "django", fixture.toString());
        assertThat(exported.exitCode()).as(exported::describe).isZero();
        Django target = Django.on(dir.resolve("target.sqlite3")).custom().withExtraApps(DjangoInteropIT.EXTRA_APPS);
        target.step("migrate");

        fixtureStep(target, "loaddata", fixture.toString());

        Path sourceView = dir.resolve("custom-dump.json");
        Path targetView = dir.resolve("target-dump.json");
        Finished dumped = fixtureStep(custom, "dump", "--fixture", fixture.toString(), "--out", sourceView.toString());
        fixtureStep(target, "dump", "--fixture", fixture.toString(), "--out", targetView.toString());
        assertThat(dumped.fact("models")).isEqualTo("accounts.user,auth.group,chat.openaimodel");
        assertThat(dumped.factLong("objects")).isGreaterThan(100);
        assertThat(Files.readString(targetView)).isEqualTo(Files.readString(sourceView));
    }

    /**
     * Every field type at its extremes ({@code fieldtypes.User}: 64-bit integers, the largest and smallest doubles,
     * decimals, UUIDs, binary, JSON beyond 64 bits, IPv6, times and datetimes to the microsecond, a 1 MB text) loads
     * through loaddata as Django built it, checked at full precision ({@code check-fieldtypes}), while Django's own
     * dumpdata keeps only milliseconds. Two values Django's own fixtures cannot carry either are left out: a
     * {@code DurationField}, which SQLite declares {@code bigint} like any integer (so it is written as the integer
     * microseconds, which loaddata refuses), and a JSON {@code null} in a {@code NOT NULL} JSON column (loaddata
     * stores SQL NULL).
     */
    @Test
    void sqlite_everyFieldTypeAtItsExtremesLoadsExactly() throws Exception {
        Django built = Django.on(dir.resolve("fieldtypes.sqlite3")).variant("fieldtypes");
        built.step("migrate");
        built.step("build-fieldtypes");
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + built.db());
             Statement statement = connection.createStatement()) {
            statement.executeUpdate("UPDATE fieldtypes_user SET span = NULL");
            statement.executeUpdate("UPDATE fieldtypes_user SET document = '{}' WHERE document = 'null'");
        }
        Path expectedValues = dir.resolve("fieldtypes.dump.json");
        built.step("dump-fieldtypes", "--out", expectedValues.toString());
        Path fixture = dir.resolve("fieldtypes.json");
        Finished exported = Cli.run(dir, "export", "--db", built.db().toString(), "--format", "django", fixture.toString());
        assertThat(exported.exitCode()).as(exported::describe).isZero();
        Django target = Django.on(dir.resolve("target.sqlite3")).variant("fieldtypes");
        target.step("migrate");

        fixtureStep(target, "loaddata", fixture.toString());

        Finished verdict = target.verdict("check-fieldtypes", "--expected", expectedValues.toString());
        assertThat(verdict.factLong("checked_users")).isEqualTo(6);
        assertThat(verdict.factLong("checked_values")).isGreaterThan(150);
        assertThat(Files.readString(fixture)).contains("\"moment\":\"9999-12-31T23:59:59.999999Z\"");
    }

    @Test
    void sqlite_aCompressedExportLoadsAsWell() throws Exception {
        Path fixture = dir.resolve("fixture.json.gz");
        Finished exported = Cli.run(dir, "export", "--db", source.db().toString(), "--format", "django",
                "--all-user-tables", fixture.toString());
        assertThat(exported.exitCode()).as(exported::describe).isZero();
        Django target = Django.on(dir.resolve("target.sqlite3")).withMoreApps().withExtraApps(DjangoInteropIT.EXTRA_APPS);
        MoreTablesInteropIT.step(target, "migrate");
        fixtureStep(target, "loaddata", fixture.toString());
        judge(target);
    }
}
