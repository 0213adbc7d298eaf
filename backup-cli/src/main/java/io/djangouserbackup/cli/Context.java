package io.djangouserbackup.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.function.Supplier;

/**
 * What a running command talks to.
 *
 * @param in          standard input: a backup for {@code import -}, else the answer to the prompt
 * @param out         standard output: results, or the backup for {@code export -}
 * @param err         standard error: errors, notes, progress, the plan and the prompt
 * @param env         environment variables, working directory, clock
 * @param interactive whether a person is at a terminal (to ask, and to show progress to)
 * @param quiet       whether to leave out progress, plan, notes and summary
 * @param terminal    reads what the person at the terminal types (answers, passphrases); {@code null} when there
 *                    is no terminal at all
 */
record Context(InputStream in, PrintStream out, PrintStream err, Env env, boolean interactive, boolean quiet,
               Terminal terminal) {

    /**
     * What the person at the terminal types. One reader for every answer: the JDK's console buffers what it reads,
     * so a passphrase read through it and an answer read from standard input could take each other's lines.
     */
    interface Terminal {
        /** Shows the prompt and reads a line typed without echo, or {@code null} at the end of input. */
        char[] readSecret(String prompt);

        /** Shows the prompt and reads a line, or {@code null} at the end of input. */
        String readLine(String prompt);

        /** Whether what is typed arrives on standard input (then a backup read from there leaves nothing to ask). */
        default boolean sharesStandardInput() {
            return false;
        }
    }

    /**
     * Whether a passphrase can be asked: there is a terminal, and it is not the standard input a backup is read
     * from. The controlling terminal ({@code /dev/tty}) serves whatever standard input and output are.
     */
    boolean canAskSecret(boolean backupOnStandardInput) {
        return terminal != null && !(backupOnStandardInput && terminal.sharesStandardInput());
    }

    /** Asks the person at the terminal for a secret; a closed terminal is a usage error. */
    char[] askSecret(String prompt) {
        char[] answer;
        Interrupts.prompting(true);
        try {
            answer = terminal.readSecret(prompt);
        } finally {
            Interrupts.prompting(false);
        }
        if (answer == null) {
            throw CliFailure.usage("no passphrase was typed (end of input)");
        }
        return answer;
    }

    /** Asks the person at the terminal; {@code null} at the end of input. */
    String ask(String prompt) {
        Interrupts.prompting(true);
        try {
            return terminal.readLine(prompt);
        } finally {
            Interrupts.prompting(false);
        }
    }

    /** Things worth knowing that are not failures, one line each on stderr. */
    void notes(List<String> notes) {
        if (!quiet) {
            for (String note : notes) {
                err.println(Main.PROGRAM + ": note: " + note);
            }
        }
    }

    /** A progress line on stderr while a long step runs, shown only to a person at a terminal. */
    Progress progress(Supplier<String> status) {
        return Progress.start(err, interactive && !quiet, status);
    }
}
