package io.djangouserbackup.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.djangouserbackup.core.mappers.ModelTableMapper;
import io.djangouserbackup.core.spi.MapperContext;
import io.djangouserbackup.core.spi.RowAction;
import io.djangouserbackup.core.spi.SectionRun;
import io.djangouserbackup.core.spi.TableMapper;
import io.djangouserbackup.model.Row;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Export and import next to other connections: one snapshot for an export, a bounded wait for a locked import. */
class ConcurrencyTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Path database() {
        Path db = TestDatabases.create(dir, "db.sqlite3", TestDatabases.AUTH_USER);
        TestDatabases.insertUser(db, 1, "alice", "pbkdf2_sha256$1$a$b");
        TestDatabases.insertUser(db, 2, "bob", "pbkdf2_sha256$1$c$d");
        TestDatabases.execute(db, "CREATE TABLE probe_item (id integer NOT NULL PRIMARY KEY, name varchar(50) NOT NULL)");
        return db;
    }

    private static void commitOnOtherConnection(Path db, String... statements) {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + db);
             Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA busy_timeout = 5000");
            connection.setAutoCommit(false);
            for (String sql : statements) {
                statement.execute(sql);
            }
            connection.commit();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A section whose export first has another connection commit a user and a probe row. */
    private record WriteFirst(Path db, TableMapper probes) implements TableMapper {
        @Override
        public String section() {
            return probes.section();
        }

        @Override
        public SectionRun start(MapperContext context) {
            SectionRun run = probes.start(context);
            return new SectionRun() {
                @Override
                public void exportRows(Consumer<Row> sink) {
                    commitOnOtherConnection(db, "INSERT INTO auth_user (id, password, is_superuser, username, last_name, email, is_staff,"
                                    + " is_active, date_joined, first_name) VALUES (3, 'x', 0, 'carol', '', '', 0, 1,"
                                    + " '2020-01-01 00:00:00', '')",
                            "INSERT INTO probe_item (id, name) VALUES (1, 'written during the export')");
                    run.exportRows(sink);
                }

                @Override
                public RowAction check(Row row, String place) {
                    return run.check(row, place);
                }

                @Override
                public void write(Row row, String place) {
                    run.write(row, place);
                }
            };
        }
    }

    private static JsonNode export(DjangoDatabase database) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Exporter.of(database).exportTo(out);
        return JSON.readTree(out.toString(StandardCharsets.UTF_8));
    }

    /**
     * Another connection commits a user and a probe row after the export has read the users and before it reads
     * the probes (SQLite in WAL mode, where writers do not wait for readers): the export shows neither, because
     * it reads one snapshot; the next export shows both.
     */
    @Test
    void exportReadsOneSnapshotWhileAnotherConnectionWrites() throws Exception {
        Path db = database();
        TestDatabases.execute(db, "PRAGMA journal_mode = WAL");
        DjangoDatabase database = DjangoDatabase.sqlite(db).withMapper(new WriteFirst(db, new ModelTableMapper("probes", "probe_item")));

        JsonNode during = export(database);

        assertThat(during.get("users")).extracting(u -> u.get("username").asText()).containsExactly("alice", "bob");
        assertThat(during.get("probes")).isEmpty();
        JsonNode after = export(DjangoDatabase.sqlite(db).withMapper(new ModelTableMapper("probes", "probe_item")));
        assertThat(after.get("users")).extracting(u -> u.get("username").asText()).containsExactly("alice", "bob", "carol");
        assertThat(after.get("probes")).hasSize(1);
    }

    private static byte[] backupOf(Path db) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Exporter.of(DjangoDatabase.sqlite(db)).exportTo(out);
        return out.toByteArray();
    }

    /** While another connection holds a write lock, an import waits its lock timeout, then fails with one line. */
    @Test
    void importIntoALockedDatabaseGivesUpAfterItsTimeoutWithOneLine() throws Exception {
        Path source = database();
        byte[] backup = backupOf(source);
        Path target = TestDatabases.create(dir, "target.sqlite3", TestDatabases.AUTH_USER);
        String before = TestDatabases.sha256(target);

        try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + target);
             Statement statement = other.createStatement()) {
            other.setAutoCommit(false);
            statement.execute("INSERT INTO auth_group (name) VALUES ('held by another connection')");

            assertThatThrownBy(() -> Importer.of(DjangoDatabase.sqlite(target).withLockTimeout(Duration.ofMillis(300)))
                    .importFrom(BackupSource.of(backup)))
                    .isInstanceOf(DatabaseAccessException.class)
                    .hasMessageEndingWith(": the database is locked by another connection; gave up after waiting 0.3 s;"
                            + " nothing was imported (try again when the other program is done)")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").startsWith("jdbc:sqlite:"));
            other.rollback();
        }
        assertThat(TestDatabases.sha256(target)).isEqualTo(before);
    }

    /**
     * A lock released within the timeout is waited for: the import then succeeds. The other connection holds its write
     * lock from before the import starts until 300 ms after it started (the release waits for the start, so a slow
     * machine cannot make the import begin after the release), so an import that succeeds and ends after the release
     * waited for it; one that did not wait fails on the lock.
     */
    @Test
    void importWaitsForALockReleasedWithinItsTimeout14() throws Exception {
        Path source = database();
        byte[] backup = backupOf(source);
        Path target = TestDatabases.create(dir, "target.sqlite3", TestDatabases.AUTH_USER);

        Connection other = DriverManager.getConnection("jdbc:sqlite:" + target);
        Statement statement = other.createStatement();
        other.setAutoCommit(false);
        statement.execute("INSERT INTO auth_group (name) VALUES ('committed by another connection')");
        java.util.concurrent.CountDownLatch importStarting = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicLong releasedAt = new java.util.concurrent.atomic.AtomicLong();
        Thread release = new Thread(() -> {
            try {
                importStarting.await();
                Thread.sleep(300);
                other.commit();
                releasedAt.set(System.nanoTime());
                other.close();
            } catch (InterruptedException | SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        release.start();

        importStarting.countDown();
        ImportResult result = Importer.of(DjangoDatabase.sqlite(target).withLockTimeout(Duration.ofSeconds(30)))
                .importFrom(BackupSource.of(backup));
        long endedAt = System.nanoTime();
        release.join();

        assertThat(releasedAt.get()).as("the lock was released").isNotZero();
        assertThat(endedAt).as("the import ended after the other connection let go of its lock").isGreaterThan(releasedAt.get());
        assertThat(result.section("users").created()).isEqualTo(2);
        assertThat(TestDatabases.queryLong(target, "SELECT count(*) FROM auth_group WHERE name = 'committed by another connection'"))
                .isEqualTo(1);
        assertThat(List.of(TestDatabases.queryLong(target, "SELECT count(*) FROM auth_user"))).containsExactly(2L);
    }
}
