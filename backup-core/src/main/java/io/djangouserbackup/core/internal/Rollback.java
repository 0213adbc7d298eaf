package io.djangouserbackup.core.internal;

import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;

/**
 * Ends a transaction that must not commit, without letting the rollback hide why the work stopped. A rollback
 * after a failure often fails too (the connection was lost, the server dropped a half-read result), and a
 * {@code finally { rollback(); }} would then throw the rollback's error instead of the failure that matters, e.g.
 * an {@link OutOfMemoryError} reported as a closed connection. Here the rollback's failure is kept as a suppressed
 * exception of the first one.
 */
public final class Rollback {

    private Rollback() {
    }

    /** Runs the work, then rolls back; a rollback failure is thrown only when the work succeeded. */
    public static <T> T after(Handle handle, Supplier<T> work) {
        T result;
        try {
            result = work.get();
        } catch (RuntimeException | Error failure) {
            afterFailure(handle, failure);
            throw failure;
        }
        handle.rollback();
        return result;
    }

    /** Rolls back after the failure, which stays the one to report; the rollback's own failure is added to it. */
    public static void afterFailure(Handle handle, Throwable failure) {
        try {
            handle.rollback();
        } catch (RuntimeException | Error e) {
            failure.addSuppressed(e);
        }
    }
}
