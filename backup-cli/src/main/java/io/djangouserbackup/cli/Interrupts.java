package io.djangouserbackup.cli;

import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * What Ctrl-C (SIGINT) and SIGTERM do. The JVM runs its shutdown hooks and exits with 130 (143 for SIGTERM); the
 * hook installed here says in one line what the interruption means ({@code interrupted: nothing was imported}).
 * While an import's transaction is open, the hook instead waits for the command to notice ({@link #requested()},
 * checked as the backup is read), roll back and say so itself: a killed SQLite transaction would leave its journal
 * behind.
 */
final class Interrupts {
    /** How long an interrupted import may take to roll back before the process ends anyway. */
    private static final long ROLLBACK_SECONDS = 60;

    private static volatile boolean installed;
    private static volatile boolean requested;
    private static volatile boolean finished;
    private static volatile boolean handledByCommand;
    private static volatile boolean prompting;
    private static volatile int exitCode;
    private static volatile String consequence;
    private static final CountDownLatch MAIN_DONE = new CountDownLatch(1);

    private Interrupts() {
    }

    /** Installs the hook; only the real process does ({@link Main#main}), never an in-process test. */
    static synchronized void install(PrintStream err) {
        if (installed) {
            return;
        }
        installed = true;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> onSignal(err), "django-user-backup-interrupt"));
    }

    private static void onSignal(PrintStream err) {
        if (finished) {
            // An ordinary exit, or a signal after the command was done: nothing to add.
            return;
        }
        requested = true;
        if (handledByCommand) {
            try {
                MAIN_DONE.await(ROLLBACK_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (finished && exitCode == ExitCodes.OK) {
                // The import committed before it could notice: it is done, and the exit code says so.
                Runtime.getRuntime().halt(ExitCodes.OK);
            }
            return;
        }
        String what = consequence;
        err.println((prompting ? "\n" : "") + Main.PROGRAM + ": interrupted" + (what == null ? "" : ": " + what));
        err.flush();
    }

    /** Whether a signal asked the process to stop. */
    static boolean requested() {
        return requested;
    }

    /** What an interruption from now on means, e.g. {@code nothing was imported}. */
    static void consequence(String text) {
        consequence = text;
    }

    /** Marks that the person is being asked something, so the message starts on a line of its own. */
    static void prompting(boolean asking) {
        prompting = asking;
    }

    /**
     * Runs work that notices an interruption itself (it reads the backup through {@link FileSource}), rolls back
     * and reports it: the hook waits for it instead of ending the process under it.
     */
    static <T> T handledByCommand(Supplier<T> work) {
        handledByCommand = true;
        try {
            return work.get();
        } finally {
            handledByCommand = installed && requested;
        }
    }

    /** The command is done and has said everything; the hook may let the process end. */
    static void finished(int code) {
        exitCode = code;
        finished = true;
        MAIN_DONE.countDown();
    }
}
