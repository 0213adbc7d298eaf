package io.djangouserbackup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which command's parser Main builds alone: only one the arguments clearly name, else all of them. */
class ChosenCommandTest {
    @Test
    void theCommandIsTheFirstArgumentThatIsNotAnOption() {
        assertThat(Main.chosenCommand(new String[] {"export", "--db", "import"})).isEqualTo("export");
        assertThat(Main.chosenCommand(new String[] {"-q", "--debug", "import", "x.json"})).isEqualTo("import");
        assertThat(Main.chosenCommand(new String[] {"--help", "diff"})).isEqualTo("diff");
        assertThat(Main.chosenCommand(new String[] {"verify"})).isEqualTo("verify");
    }

    @Test
    void withoutAKnownCommandEveryParserIsBuilt() {
        assertThat(Main.chosenCommand(new String[] {})).isNull();
        assertThat(Main.chosenCommand(new String[] {"--version"})).isNull();
        assertThat(Main.chosenCommand(new String[] {"backup", "export"})).isNull();
        assertThat(Main.chosenCommand(new String[] {"--db", "db.sqlite3", "export"})).isNull();
        assertThat(Main.chosenCommand(new String[] {"@args.txt"})).isNull();
        assertThat(Main.chosenCommand(new String[] {"Export"})).isNull();
    }
}
