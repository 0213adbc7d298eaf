package io.djangouserbackup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.djangouserbackup.core.TestDatabases;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19: the jar on a real pseudo-terminal (util-linux's {@code script}), driven as a person drives it: the test
 * waits until a prompt or the progress line shows, then types an answer, a passphrase or Ctrl-C (the terminal
 * turns that into SIGINT). Standard input and output of the command itself may be pipes and files, as in
 * {@code export --encrypt - > f.enc}.
 */
class TerminalIT {
    private static final Path JAR = Path.of(System.getProperty("django-user-backup.jar", "target/django-user-backup.jar"))
            .toAbsolutePath();
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    private static final String PASSPHRASE = "typed at the terminal 42";
    private static final String CTRL_C = "\u0003";

    @TempDir
    Path dir;

    private Path source;
    private Path target;

    @BeforeEach
    void databases() {
        assertThat(JAR).as("the shaded jar, built at package").exists();
        source = Fixtures.djangoDatabase(dir, "source.sqlite3");
        target = Fixtures.emptyDjangoDatabase(dir, "target.sqlite3");
    }

    /** A shell command line run on the pseudo-terminal; {@code JAR} stands for {@code java -jar django-user-backup.jar}. */
    private Session start(String shell) throws IOException {
        String command = shell.replace("JAR", quote(JAVA) + " -jar " + quote(JAR.toString()));
        ProcessBuilder builder = new ProcessBuilder("script", "--quiet", "--return", "--command", command, "/dev/null")
                .directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().remove("DATABASE_URL");
        builder.environment().remove(PassphraseOptions.DEFAULT_VARIABLE);
        return new Session(builder.start());
    }

    private static String quote(String arg) {
        return "'" + arg.replace("'", "'\\''") + "'";
    }

    /** One process on the terminal: what it has shown so far, and a keyboard. */
    private static final class Session {
        private final Process process;
        private final ByteArrayOutputStream shown = new ByteArrayOutputStream();
        private final OutputStream keyboard;

        Session(Process process) {
            this.process = process;
            this.keyboard = process.getOutputStream();
            Thread reader = new Thread(() -> {
                try (InputStream in = process.getInputStream()) {
                    byte[] buffer = new byte[4096];
                    int n;
                    while ((n = in.read(buffer)) >= 0) {
                        synchronized (shown) {
                            shown.write(buffer, 0, n);
                        }
                    }
                } catch (IOException ignored) {
                    // The process is gone.
                }
            });
            reader.setDaemon(true);
            reader.start();
        }

        String shown() {
            synchronized (shown) {
                return shown.toString(StandardCharsets.UTF_8);
            }
        }

        /** Waits until the terminal shows the text, as a person waits for a prompt. */
        Session waitFor(String text) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!shown().contains(text)) {
                if (System.nanoTime() > deadline || !process.isAlive() && !shown().contains(text)) {
                    Thread.sleep(200);
                    assertThat(shown()).as("the terminal shows %s", text).contains(text);
                }
                Thread.sleep(20);
            }
            return this;
        }

        Session type(String text) throws IOException {
            keyboard.write(text.getBytes(StandardCharsets.UTF_8));
            keyboard.flush();
            return this;
        }

        int exitCode() throws InterruptedException {
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("timed out; the terminal shows:\n" + shown());
            }
            Thread.sleep(100);
            return process.exitValue();
        }
    }

    /** A source database with enough users that an import or export runs for a few seconds. */
    private Path bigDatabase() throws Exception {
        Path big = Fixtures.djangoDatabase(dir, "big.sqlite3");
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + big)) {
            connection.setAutoCommit(false);
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO auth_user (id, password, is_superuser,"
                    + " username, first_name, last_name, email, is_staff, is_active, date_joined) VALUES (?, 'x', 0, ?, '',"
                    + " '', '', 0, 1, '2024-01-01 00:00:00')")) {
                for (int id = 100; id < 400_100; id++) {
                    insert.setInt(1, id);
                    insert.setString(2, "user" + id);
                    insert.addBatch();
                    if (id % 10_000 == 0) {
                        insert.executeBatch();
                    }
                }
                insert.executeBatch();
            }
            connection.commit();
        }
        return big;
    }

    private List<String> files() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aPassphraseIsAskedOnTheTerminalWhileTheBackupGoesThroughPipes() throws Exception {
        Session export = start("JAR export --db source.sqlite3 --encrypt - > piped.json.enc");
        export.waitFor("Passphrase for the backup: ").type(PASSPHRASE + "\n")
                .waitFor("The same passphrase again: ").type(PASSPHRASE + "\n");
        assertThat(export.exitCode()).as(export.shown()).isZero();
        byte[] encrypted = Files.readAllBytes(dir.resolve("piped.json.enc"));
        assertThat(new String(encrypted, 0, 8, StandardCharsets.ISO_8859_1)).isEqualTo("\u0089DUBENC\n");

        Session imported = start("cat piped.json.enc | JAR import --db target.sqlite3 --yes - > imported.txt");
        imported.waitFor("Passphrase for standard input: ").type(PASSPHRASE + "\n");

        assertThat(imported.exitCode()).as(imported.shown()).isZero();
        assertThat(Fixtures.users(target)).isEqualTo(2);
        // Typed with echo off: the passphrase never shows on the terminal.
        assertThat(export.shown()).doesNotContain(PASSPHRASE);
        assertThat(imported.shown()).doesNotContain(PASSPHRASE);
    }

    @Test
    void ctrlCAtThePromptSaysNothingWasImportedAfterListingWhoWouldGo() throws Exception {
        assertThat(start("JAR export --db source.sqlite3 backup.json").exitCode()).isZero();
        TestDatabases.insertUser(target, 9, "mallory", "x");
        String before = TestDatabases.sha256(target);

        Session session = start("JAR import --db target.sqlite3 --mode replace backup.json");
        session.waitFor("Proceed? [y/N] ").type(CTRL_C);

        assertThat(session.exitCode()).as(session.shown()).isEqualTo(130);
        assertThat(session.shown()).contains("To remove (not in the backup):").contains("id 9 mallory")
                .contains("django-user-backup: interrupted: nothing was imported");
        assertThat(session.shown().indexOf("id 9 mallory")).isLessThan(session.shown().indexOf("Proceed?"));
        assertThat(TestDatabases.sha256(target)).isEqualTo(before);
    }

    @Test
    void ctrlCDuringAnImportRollsBackAndLeavesNoJournal() throws Exception {
        bigDatabase();
        assertThat(start("JAR export --db big.sqlite3 big.json").exitCode()).isZero();
        String before = TestDatabases.sha256(target);

        Session session = start("JAR import --db target.sqlite3 --yes big.json");
        session.waitFor("importing big.json").type(CTRL_C);

        assertThat(session.exitCode()).as(session.shown()).isEqualTo(130);
        assertThat(session.shown()).contains("django-user-backup: interrupted: nothing was imported")
                .doesNotContain("Imported ");
        assertThat(files()).doesNotContain("target.sqlite3-journal", "target.sqlite3-wal");
        assertThat(TestDatabases.sha256(target)).isEqualTo(before);
    }

    @Test
    void ctrlCDuringAnExportLeavesNoPartialFile() throws Exception {
        bigDatabase();
        List<String> before = files();

        Session session = start("JAR export --db big.sqlite3 big.json");
        session.waitFor("exporting ").type(CTRL_C);

        assertThat(session.exitCode()).as(session.shown()).isEqualTo(130);
        assertThat(session.shown()).contains("django-user-backup: interrupted: no backup was written");
        assertThat(files()).isEqualTo(before);
    }

    @Test
    void sigtermDuringAnImportRollsBackAndExits143() throws Exception {
        bigDatabase();
        assertThat(start("JAR export --db big.sqlite3 big.json").exitCode()).isZero();
        String before = TestDatabases.sha256(target);

        Session session = start("JAR import --db target.sqlite3 --yes big.json");
        session.waitFor("importing big.json");
        session.process.descendants().filter(p -> p.info().command().orElse("").endsWith("java"))
                .forEach(ProcessHandle::destroy);

        assertThat(session.exitCode()).as(session.shown()).isEqualTo(143);
        assertThat(session.shown()).contains("django-user-backup: interrupted: nothing was imported");
        assertThat(files()).doesNotContain("target.sqlite3-journal");
        assertThat(TestDatabases.sha256(target)).isEqualTo(before);
    }
}
