package io.djangouserbackup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which command's parser Main builds alone: only one the arguments clearly name, else all of them. */
class ChosenCommandTest {
    @Test
    void theCommandIsTheFirstArgumentThatIsNotAnOption() {
        assertThat(chosen(new String[] {"export", "--db", "import"})).isEqualTo("export");
        assertThat(chosen(new String[] {"-q", "--debug", "import", "x.json"})).isEqualTo("import");
        assertThat(chosen(new String[] {"--help", "diff"})).isEqualTo("diff");
        assertThat(chosen(new String[] {"verify"})).isEqualTo("verify");
    }

    @Test
    void withoutAKnownCommandEveryParserIsBuilt() {
        assertThat(chosen(new String[] {})).isNull();
        assertThat(chosen(new String[] {"--version"})).isNull();
        assertThat(chosen(new String[] {"backup", "export"})).isNull();
        assertThat(chosen(new String[] {"--db", "db.sqlite3", "export"})).isNull();
        assertThat(chosen(new String[] {"@args.txt"})).isNull();
        assertThat(chosen(new String[] {"Export"})).isNull();
    }

    private static String chosen(String[] args) {
        return Main.chosenCommand(args, Main.commands().keySet());
    }
}
