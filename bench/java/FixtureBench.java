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

/**
 * What backup-junit's @RestoreBackup costs per test (issue 12): a fixture of N users (default 100) is restored once
 * into a pristine SQLite file (what the first test of a run pays), then each later test pays a copy of that file,
 * a connection and a query, and the deletion afterwards: the same steps as DjangoBackupExtension. For comparison,
 * a restore of the fixture into a fresh schema for every test. Prints medians in milliseconds.
 *
 *     java -cp backup-cli/target/django-user-backup.jar bench/java/FixtureBench.java [users] [rounds]
 */
public class FixtureBench {
    public static void main(String[] args) throws Exception {
        int users = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        DjangoFixture.Builder builder = DjangoFixture.builder()
                .passwordHasher(DjangoPasswordHasher.newest().withIterations(1000))
                .group("editors", "auth.user.view_user", "chat.openaimodel.change_openaimodel");
        for (int i = 1; i <= users; i++) {
            int n = i;
            builder.user("user" + i, "password" + (i % 10), user -> user.email("user" + n + "@example.com").groups("editors"));
        }
        builder.openAiModel("gpt-4o", model -> model.users("user1", "user2"));
        DjangoFixture fixture = builder.build();
        byte[] backup = fixture.bytes();
        Path dir = Files.createTempDirectory("fixture-bench");

        double[] restore = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            long start = System.nanoTime();
            DjangoDatabase db = DjangoSchema.authAndOpenAiModels().createSqlite(dir.resolve("restore" + r + ".sqlite3"));
            Importer.of(db).withMode(ImportMode.REPLACE).importFrom(BackupSource.of(backup));
            restore[r] = (System.nanoTime() - start) / 1e6;
        }
        Path pristine = dir.resolve("restore0.sqlite3");

        double[] copy = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            long start = System.nanoTime();
            Path testDir = Files.createTempDirectory(dir, "test");
            Path file = testDir.resolve("db.sqlite3");
            Files.copy(pristine, file);
            try (Connection connection = new DjangoDataSource(DjangoDatabase.sqlite(file)).getConnection();
                 Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT count(*) FROM auth_user")) {
                rows.next();
                if (rows.getLong(1) != users) {
                    throw new AssertionError("copy holds " + rows.getLong(1) + " users");
                }
            }
            Files.delete(file);
            Files.delete(testDir);
            copy[r] = (System.nanoTime() - start) / 1e6;
        }
        System.out.printf("fixture: %d users, %d bytes; %d rounds%n", users, backup.length, rounds);
        System.out.printf("schema + restore per test (first test of a run): median %.1f ms%n", median(restore));
        System.out.printf("copy of the pristine file + connection + query + delete (later tests): median %.1f ms%n", median(copy));
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
