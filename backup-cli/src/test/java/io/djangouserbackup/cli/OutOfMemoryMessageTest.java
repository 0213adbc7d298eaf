package io.djangouserbackup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Running out of memory names what each command left behind, and how to give Java more. */
class OutOfMemoryMessageTest {
    private static final String MORE = "; give Java more, e.g. DJANGO_USER_BACKUP_JAVA_OPTS=-Xmx2g for"
            + " django-user-backup, or java -Xmx2g -jar";

    @Test
    void eachCommandSaysWhatRunningOutOfMemoryLeftBehind() {
        OutOfMemoryError heap = new OutOfMemoryError("Java heap space");

        assertThat(message("export", heap)).isEqualTo("out of memory (Java heap space), no backup was written" + MORE);
        assertThat(message("import", heap)).isEqualTo("out of memory (Java heap space), nothing was imported" + MORE);
        assertThat(message("verify", heap)).isEqualTo("out of memory (Java heap space), nothing was verified" + MORE);
        assertThat(message("diff", heap)).isEqualTo("out of memory (Java heap space), nothing was compared" + MORE);
    }

    @Test
    void anErrorWithoutAMessageGivesNoReason() {
        assertThat(message("diff", new OutOfMemoryError())).isEqualTo("out of memory, nothing was compared" + MORE);
    }

    private static String message(String command, OutOfMemoryError e) {
        return Main.outOfMemory(Main.commands().get(command), e);
    }
}
