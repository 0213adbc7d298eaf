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
 * @param secrets     asks the person at the terminal for a passphrase without echoing it
 */
record Context(InputStream in, PrintStream out, PrintStream err, Env env, boolean interactive, boolean quiet,
               SecretPrompt secrets) {

    /** Asks for a secret on the terminal; the answer is not shown while typed. */
    @FunctionalInterface
    interface SecretPrompt {
        /** The answer, or {@code null} at the end of input. */
        char[] ask(String prompt);
    }

    /** Asks the person at the terminal for a secret; a closed terminal is a usage error. */
    char[] askSecret(String prompt) {
        char[] answer = secrets.ask(prompt);
        if (answer == null) {
            throw CliFailure.usage("no passphrase was typed (end of input)");
        }
        return answer;
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
