package io.djangouserbackup.cli;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Not a command: the launcher runs this once per build, with {@code -XX:ArchiveClassesAtExit}, so that the
 * class-data-sharing archive holds the classes of every command, not only those of an export. It exports the
 * given database to a temporary folder, verifies the backup, plans a dry run and imports it into a copy, and
 * deletes the folder. Nothing is printed; the exit code is 0 when every step did what it should.
 *
 * <pre>{@code java -XX:ArchiveClassesAtExit=app.jsa -cp django-user-backup.jar io.djangouserbackup.cli.StartupTraining db.sqlite3}</pre>
 */
public final class StartupTraining {

    private StartupTraining() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: StartupTraining DJANGO_SQLITE_DB");
            System.exit(ExitCodes.USAGE);
        }
        // What Main.main does before a command runs, so that the archive holds those classes too (Tty only loaded:
        // opening the terminal would register a shutdown hook).
        NativeLibrary.useCachedCopy();
        System.console();
        Class<?> terminal = Tty.class;
        System.exit(terminal == null ? ExitCodes.UNEXPECTED : run(Path.of(args[0]).toAbsolutePath()));
    }

    /** Runs every step on a copy in a temporary folder, which is deleted; the database itself is only read. */
    static int run(Path database) throws IOException {
        Path dir = Files.createTempDirectory("django-user-backup-training");
        try {
            return train(database, dir);
        } finally {
            deleteTree(dir);
        }
    }

    private static int train(Path database, Path dir) throws IOException {
        Path backup = dir.resolve("backup.json");
        Path target = dir.resolve("target.sqlite3");
        Files.copy(database, target, StandardCopyOption.REPLACE_EXISTING);
        String[][] steps = {
            // Not --quiet: the summary, plan and notes are formatted on every real run (into a null stream here).
            {"export", "--db", database.toString(), backup.toString()},
            {"verify", backup.toString()},
            {"import", "--dry-run", "--db", target.toString(), backup.toString()},
            {"import", "--yes", "--mode", "replace", "--db", target.toString(), backup.toString()},
        };
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        Env env = Env.system();
        for (String[] step : steps) {
            int code = Main.run(step, new ByteArrayInputStream(new byte[0]), quiet, quiet, env, false);
            if (code != ExitCodes.OK) {
                return code;
            }
        }
        return ExitCodes.OK;
    }

    /** Removes the training folder; the CLI does not reach into core's internal package for this. */
    private static void deleteTree(Path dir) throws IOException {
        try (java.util.stream.Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
