package io.djangouserbackup.cli;

import java.io.PrintStream;
import java.util.function.Supplier;

/**
 * A spinner with a status and the elapsed seconds, redrawn in place on stderr while a long step runs. It appears
 * only after a short delay, so quick runs print nothing, and it erases itself when closed.
 */
final class Progress implements AutoCloseable {
    private static final long DELAY_MILLIS = 400;
    private static final long TICK_MILLIS = 150;
    private static final char[] SPINNER = {'|', '/', '-', '\\'};

    private final PrintStream err;
    private final Supplier<String> status;
    private final Thread thread;
    private final long started = System.nanoTime();
    private boolean drawn;
    private volatile boolean stopped;

    private Progress(PrintStream err, Supplier<String> status, boolean enabled) {
        this.err = err;
        this.status = status;
        if (enabled) {
            thread = new Thread(this::loop, "django-user-backup-progress");
            thread.setDaemon(true);
            thread.start();
        } else {
            thread = null;
        }
    }

    static Progress start(PrintStream err, boolean enabled, Supplier<String> status) {
        return new Progress(err, status, enabled);
    }

    private void loop() {
        try {
            Thread.sleep(DELAY_MILLIS);
            int frame = 0;
            while (!stopped) {
                draw(SPINNER[frame++ % SPINNER.length]);
                Thread.sleep(TICK_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized void draw(char spinner) {
        if (stopped) {
            return;
        }
        long seconds = (System.nanoTime() - started) / 1_000_000_000L;
        // \r back to the start of the line, ESC[K erases what a longer earlier status left.
        err.print("\r" + spinner + " " + status.get() + " (" + seconds + "s)\033[K");
        err.flush();
        drawn = true;
    }

    @Override
    public void close() {
        if (thread == null) {
            return;
        }
        synchronized (this) {
            stopped = true;
            if (drawn) {
                err.print("\r\033[K");
                err.flush();
            }
        }
        thread.interrupt();
    }
}
