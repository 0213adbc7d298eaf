package io.djangouserbackup.core;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * Why a file operation failed, in words: Java's file exceptions carry only the path as their message
 * ({@code /srv/app/nosuch.txt}), which says where but not why. The library's own messages use it, and a program that
 * reports the library's files (a passphrase file, a backup it opens itself) can say the same.
 *
 * <pre>{@code
 * catch (IOException e) { System.err.println("cannot read " + file + ": " + IoReasons.why(e)); }
 * }</pre>
 */
public final class IoReasons {
    private IoReasons() {
    }

    /** {@code no such file}, {@code permission denied}, {@code is a folder}, or the failure's own reason. */
    public static String why(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NotDirectoryException) {
            return "not a folder";
        }
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            String reason = fs.getReason();
            return reason.equalsIgnoreCase("Is a directory") ? "it is a folder, not a file" : reason.toLowerCase(java.util.Locale.ROOT);
        }
        if (e.getMessage() != null && e.getMessage().endsWith("Is a directory")) {
            return "it is a folder, not a file";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
