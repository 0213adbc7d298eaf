package io.djangouserbackup.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Keeps the newest backups of a folder and deletes the older ones: only files named as the command line names
 * backups by default, {@code user_data_backup_YYYYMMDD_HHMMSS.json}, optionally followed by {@code .gz} and then
 * {@code .enc}. Any other file (another name, a hidden {@code .partial} file, a folder, a symbolic link) is never
 * touched. Age is the time in the name, not the file's modification time, which copies and restores change.
 *
 * <pre>{@code
 * List<Path> deleted = BackupRetention.keepNewest(7).prune(Path.of("/backups"), justWritten);
 * }</pre>
 */
public final class BackupRetention {
    /** The default backup name: {@code user_data_backup_20260102_030405.json}, {@code .json.gz}, {@code .json.gz.enc}. */
    public static final Pattern DEFAULT_NAME = Pattern.compile("user_data_backup_\\d{8}_\\d{6}\\.json(\\.gz)?(\\.enc)?");

    private final int keep;

    private BackupRetention(int keep) {
        this.keep = keep;
    }

    /**
     * Keeps the newest {@code keep} backups of a folder.
     *
     * @throws IllegalArgumentException when {@code keep} is less than 1
     */
    public static BackupRetention keepNewest(int keep) {
        if (keep < 1) {
            throw new IllegalArgumentException("keep at least 1 backup, not " + keep);
        }
        return new BackupRetention(keep);
    }

    /** How many backups are kept. */
    public int keep() {
        return keep;
    }

    /**
     * The backups of the folder this retention would delete: regular files with the default name beyond the newest
     * {@code keep}, oldest first. {@code justWritten} is never among them, and counts as one of those kept when it
     * has the default name.
     */
    public List<Path> expired(Path folder, Path justWritten) {
        Objects.requireNonNull(folder, "folder");
        List<Path> backups = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder)) {
            for (Path file : files) {
                if (DEFAULT_NAME.matcher(file.getFileName().toString()).matches()
                        && Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                    backups.add(file);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder + ": " + e.getMessage(), e);
        }
        // Newest first: by the time in the name, then by the rest of the name (.json before .json.gz ...).
        backups.sort(Comparator.comparing((Path p) -> stamp(p)).thenComparing(p -> p.getFileName().toString())
                .reversed());
        List<Path> kept = new ArrayList<>();
        List<Path> expired = new ArrayList<>();
        Path written = justWritten == null ? null : justWritten.toAbsolutePath().normalize();
        if (written != null && backups.stream().anyMatch(p -> same(p, written))) {
            kept.add(written);
        }
        for (Path backup : backups) {
            if (written != null && same(backup, written)) {
                continue;
            }
            if (kept.size() < keep) {
                kept.add(backup);
            } else {
                expired.add(backup);
            }
        }
        expired.sort(Comparator.comparing((Path p) -> stamp(p)).thenComparing(p -> p.getFileName().toString()));
        return expired;
    }

    /**
     * Deletes the backups {@link #expired(Path, Path)} names and returns them, oldest first. A file that another
     * process deleted meanwhile is skipped.
     *
     * @throws UncheckedIOException when the folder cannot be listed or a file cannot be deleted (those deleted
     *                              before it stay deleted)
     */
    public List<Path> prune(Path folder, Path justWritten) {
        List<Path> deleted = new ArrayList<>();
        for (Path backup : expired(folder, justWritten)) {
            try {
                Files.delete(backup);
                deleted.add(backup);
            } catch (NoSuchFileException e) {
                // Gone already: nothing to do.
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete " + backup + ": " + e.getMessage(), e);
            }
        }
        return deleted;
    }

    private static String stamp(Path backup) {
        // user_data_backup_ is 17 characters, then YYYYMMDD_HHMMSS.
        return backup.getFileName().toString().substring(17, 32);
    }

    private static boolean same(Path backup, Path written) {
        return backup.toAbsolutePath().normalize().equals(written);
    }
}
