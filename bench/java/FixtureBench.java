import io.djangouserbackup.core.BackupSource;
import io.djangouserbackup.core.DjangoDatabase;
import io.djangouserbackup.core.DjangoDataSource;
import io.djangouserbackup.core.DjangoFixture;
import io.djangouserbackup.core.DjangoPasswordHasher;
import io.djangouserbackup.core.DjangoSchema;
import io.djangouserbackup.core.ImportMode;
import io.djangouserbackup.core.Importer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * What backup-junit's @RestoreBackup costs per test (issue 12; issue 15's target: a 100-user fixture into SQLite in a
 * few milliseconds after the first). One process is one test run: the fixture of N users (default 100) is restored
 * once into a pristine SQLite file (schema + import: what the first test of a run pays, JIT-cold), then each later
 * test pays a copy of that file, a connection and a query, and the deletion afterwards (the same steps as
 * DjangoBackupExtension). Every round alternates that with its reference, a plain copy and deletion of the same
 * pristine file (no connection), so both see the same load. For scale, the restore is then repeated warm.
 *
 *     java -cp backup-cli/target/django-user-backup.jar bench/java/FixtureBench.java [users] [rounds]
 *
 * Prints one line per figure, tab-separated, for bench/run.sh: {@code first-restore ms}, {@code per-test} (the
 * median round; then the lowest and highest round), {@code plain-copy} (the same), {@code warm-restore} (median of
 * min(rounds, 10) warm restores), each in milliseconds.
 */
public class FixtureBench {
    public static void main(String[] args) throws Exception {
        int users = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        Path dir = Files.createTempDirectory("fixture-bench");
        try {
            run(users, rounds, dir);
        } finally {
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void run(int users, int rounds, Path dir) throws Exception {
        // The fixture is made outside the timing: a test run reads it from a file.
        byte[] backup = fixture(users).bytes();
        long firstStart = System.nanoTime();
        Path pristine = dir.resolve("pristine.sqlite3");
        restore(backup, pristine);
        double first = (System.nanoTime() - firstStart) / 1e6;

        double[] perTest = new double[rounds];
        double[] plainCopy = new double[rounds];
        // Where a later test's time goes: copy, open the connection, query, close and delete.
        double[][] phases = new double[4][rounds];
        for (int r = 0; r < rounds; r++) {
            long start = System.nanoTime();
            Path testDir = Files.createTempDirectory(dir, "test");
            Path file = testDir.resolve("db.sqlite3");
            Files.copy(pristine, file);
            long copied = System.nanoTime();
            long opened;
            long queried;
            try (Connection connection = new DjangoDataSource(DjangoDatabase.sqlite(file)).getConnection()) {
                opened = System.nanoTime();
                try (Statement statement = connection.createStatement();
                     ResultSet rows = statement.executeQuery("SELECT count(*) FROM auth_user")) {
                    rows.next();
                    if (rows.getLong(1) != users) {
                        throw new AssertionError("copy holds " + rows.getLong(1) + " users");
                    }
                }
                queried = System.nanoTime();
            }
            Files.delete(file);
            Files.delete(testDir);
            long end = System.nanoTime();
            perTest[r] = (end - start) / 1e6;
            phases[0][r] = (copied - start) / 1e6;
            phases[1][r] = (opened - copied) / 1e6;
            phases[2][r] = (queried - opened) / 1e6;
            phases[3][r] = (end - queried) / 1e6;

            start = System.nanoTime();
            testDir = Files.createTempDirectory(dir, "copy");
            file = testDir.resolve("db.sqlite3");
            Files.copy(pristine, file);
            Files.delete(file);
            Files.delete(testDir);
            plainCopy[r] = (System.nanoTime() - start) / 1e6;
        }

        double[] warm = new double[Math.min(rounds, 10)];
        for (int r = 0; r < warm.length; r++) {
            long start = System.nanoTime();
            restore(backup, dir.resolve("warm" + r + ".sqlite3"));
            warm[r] = (System.nanoTime() - start) / 1e6;
        }
        System.out.printf("# fixture: %d users, %d bytes; %d rounds%n", users, backup.length, rounds);
        System.out.printf("first-restore\t%.3f%n", first);
        System.out.printf("per-test\t%.3f\t%.3f\t%.3f%n", median(perTest), min(perTest), max(perTest));
        System.out.printf("plain-copy\t%.3f\t%.3f\t%.3f%n", median(plainCopy), min(plainCopy), max(plainCopy));
        System.out.printf("warm-restore\t%.3f%n", median(warm));
        System.out.printf("# per-test phases, median ms: copy %.3f, connection %.3f, query %.3f, close + delete %.3f%n",
                median(phases[0]), median(phases[1]), median(phases[2]), median(phases[3]));
    }

    private static DjangoFixture fixture(int users) {
        DjangoFixture.Builder builder = DjangoFixture.builder()
                .passwordHasher(DjangoPasswordHasher.newest().withIterations(1000))
                .group("editors", "auth.user.view_user", "chat.openaimodel.change_openaimodel");
        for (int i = 1; i <= users; i++) {
            int n = i;
            builder.user("user" + i, "password" + (i % 10), user -> user.email("user" + n + "@example.com").groups("editors"));
        }
        builder.openAiModel("gpt-4o", model -> model.users("user1", "user2"));
        return builder.build();
    }

    private static void restore(byte[] backup, Path file) {
        DjangoDatabase db = DjangoSchema.authAndOpenAiModels().createSqlite(file);
        Importer.of(db).withMode(ImportMode.REPLACE).importFrom(BackupSource.of(backup));
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static double min(double[] values) {
        return Arrays.stream(values).min().orElse(Double.NaN);
    }

    private static double max(double[] values) {
        return Arrays.stream(values).max().orElse(Double.NaN);
    }
}
