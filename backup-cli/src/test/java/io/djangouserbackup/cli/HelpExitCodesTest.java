package io.djangouserbackup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exit codes that {@code --help} lists are the ones the command returns (and README's table). */
class HelpExitCodesTest {
    @TempDir
    Path dir;
    @TempDir
    Path temp;

    @Test
    void helpListsEveryExitCodeWithItsNumber() {
        String help = new Cli(dir, temp).run("--help").out().replaceAll("\\s+", " ");

        assertThat(help).contains(ExitCodes.OUTPUT + " could not write the output",
                ExitCodes.DIFFERENT + " diff: the backups differ",
                ExitCodes.INTERRUPTED + "/143 interrupted");
    }
}
