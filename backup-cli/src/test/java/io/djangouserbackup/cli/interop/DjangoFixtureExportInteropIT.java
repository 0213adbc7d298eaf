package io.djangouserbackup.cli.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
