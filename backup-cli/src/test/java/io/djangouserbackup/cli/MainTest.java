package io.djangouserbackup.cli;

import static io.djangouserbackup.cli.Fixtures.assertExit;
import static io.djangouserbackup.cli.Fixtures.assertOneErrorLine;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MainTest {
    @TempDir
    Path dir;
    @TempDir
    Path temp;

    private Cli cli() {
        return new Cli(dir, temp);
    }

    @Test
    void versionFromClassesIsDev() {
        Cli.Result result = cli().run("--version");

        assertExit(result, 0);
        assertThat(result.out()).isEqualTo("django-user-backup dev\n");
    }

    @Test
    void helpListsTheCommandsAndExitCodes() {
        Cli.Result result = cli().run("--help");

        assertExit(result, 0);
        assertThat(result.out()).startsWith("Usage: django-user-backup")
                .contains("  export ").contains("  import ").contains("  verify ")
                .contains("DATABASE_URL").contains("Exit codes: 0 done");
        assertThat(result.err()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"export", "import", "verify"})
    void everyCommandHasHelpWithItsOptions(String command) {
        Cli.Result after = cli().run(command, "--help");
        Cli.Result before = cli().run("-h", command);

        assertExit(after, 0);
        assertThat(after.out()).startsWith("Usage: django-user-backup " + command).contains("Options:")
                .contains("--quiet").contains("Examples:");
        assertThat(before.out()).isEqualTo(after.out());
    }

    @Test
    void importHelpNamesItsOptions() {
        assertThat(cli().run("import", "--help").out()).contains("--db PATH").contains("--url URL")
                .contains("-m, --mode MODE").contains("-y, --yes").contains("--dry-run");
    }

    @Test
    void noCommandIsABadCommandLine() {
        Cli.Result result = cli().run();

        assertExit(result, 2);
        assertOneErrorLine(result, "no command given");
    }

    @Test
    void anUnknownCommandIsABadCommandLine() {
        Cli.Result result = cli().run("backup");

        assertExit(result, 2);
        assertOneErrorLine(result, "unknown command 'backup'");
    }

    @Test
    void anOptionWithoutItsValueIsABadCommandLine() {
        Cli.Result result = cli().run("export", "--db");

        assertExit(result, 2);
        assertOneErrorLine(result, "--db");
    }

    @Test
    void anUnknownOptionBeforeTheCommandIsABadCommandLine() {
        Cli.Result result = cli().run("--frobnicate", "export");

        assertExit(result, 2);
        assertThat(result.err()).startsWith("django-user-backup: ");
    }

    @Test
    void aCommandOptionBeforeTheCommandSaysWhereItGoes() {
        Cli.Result result = cli().run("--db", "db.sqlite3", "export");

        assertExit(result, 2);
        assertOneErrorLine(result, "unknown option --db before the command; command options go after it");
    }

    @Test
    void optionValuesMayFollowAnEqualsSign() {
        Fixtures.djangoDatabase(dir, "app.sqlite3");

        Cli.Result result = cli().run("export", "--db=app.sqlite3", "out.json");

        assertExit(result, 0);
        assertThat(dir.resolve("out.json")).exists();
    }

    @Test
    void afterDoubleDashANameStartingWithDashIsAFile() {
        Fixtures.djangoDatabase(dir, "db.sqlite3");

        Cli.Result refused = cli().run("export", "-odd.json");
        Cli.Result accepted = cli().run("export", "--", "-odd.json");

        assertExit(refused, 2);
        assertOneErrorLine(refused, "unknown option -odd.json");
        assertExit(accepted, 0);
        assertThat(dir.resolve("-odd.json")).exists();
    }

    @Test
    void failuresAreOneLineWithoutDebug() {
        Cli.Result result = cli().run("export", "--db", "missing.sqlite3");

        assertExit(result, 5);
        assertOneErrorLine(result, "no such database file");
    }

    @Test
    void debugAddsTheStackTraceBeforeOrAfterTheCommand() {
        Cli.Result after = cli().run("verify", "--debug", "nope.json");
        Cli.Result before = cli().run("--debug", "verify", "nope.json");

        assertExit(after, 4);
        assertThat(after.err()).startsWith("django-user-backup: invalid backup: no such file: nope.json\n")
                .contains("InvalidBackupException").contains("\tat ");
        assertThat(before.err()).contains("\tat ");
    }

    @Test
    void anUnexpectedFailureIsExitOneWithAHintToDebug() {
        // A temporary folder that does not exist: stdin cannot be spooled, which nothing here expects.
        Cli.Result result = new Cli(dir, dir.resolve("no-such-folder")).stdin("{}").run("verify", "-");

        assertExit(result, 1);
        assertOneErrorLine(result, "unexpected failure: ");
        assertThat(result.err()).contains("--debug");
    }
}
