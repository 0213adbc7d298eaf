package io.djangouserbackup.cli;

import static io.djangouserbackup.cli.Fixtures.assertExit;
import static org.assertj.core.api.Assertions.assertThat;

import io.djangouserbackup.core.TestDatabases;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash safety: the shaded jar runs as its own process and is killed with SIGKILL
 * ({@link Process#destroyForcibly()}) at moments spread over the whole run and past its end. After a killed import
 * the database holds either exactly what it held before or exactly the imported backup (both outcomes must be seen
 * in one run, or the kills did not cover the commit), {@code PRAGMA integrity_check} says ok, and Django reads every
 * user with its groups and permissions; after a killed export, the destination name holds nothing or a complete
 * backup that verifies.
 */
class CrashSafetyIT {
    private static final Path JAR = Path.of(System.getProperty("django-user-backup.jar", "target/django-user-backup.jar"))
            .toAbsolutePath();
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    private static final int KILLS = 20;
    private static final int EXTRA_USERS = 5_000;

    @TempDir
    Path dir;
    @TempDir
    Path temp;

    /** A source with enough users that writing them takes a while, so kills land inside the transaction too. */
    private Path bigSource() {
        Path db = Fixtures.djangoDatabase(dir, "source.sqlite3");
        TestDatabases.execute(db, "INSERT INTO auth_user (id, password, is_superuser, username, last_name, email, is_staff,"
                + " is_active, date_joined, first_name) WITH RECURSIVE n(i) AS (SELECT 3 UNION ALL SELECT i + 1 FROM n"
                + " WHERE i < " + (EXTRA_USERS + 2) + ") SELECT i, 'pbkdf2_sha256$1$salt$hash' || i, 0, 'user-' || i, '',"
                + " '', 0, 1, '2020-01-01 00:00:00', '' FROM n");
        TestDatabases.execute(db, "INSERT INTO auth_user_groups (user_id, group_id) SELECT id, (SELECT id FROM auth_group"
                + " WHERE name = 'editors') FROM auth_user WHERE id > 2");
        return db;
    }

    /** What Django would see: every row of every table, hashed (the file's bytes may differ by a rolled-back journal). */
    private static String content(Path db) throws Exception {
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + db);
             Statement statement = connection.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            for (String table : tables) {
                sha256.update(("table " + table + "\n").getBytes());
                try (ResultSet rs = statement.executeQuery("SELECT * FROM \"" + table + "\" ORDER BY rowid")) {
                    int columns = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        for (int i = 1; i <= columns; i++) {
                            sha256.update((rs.getString(i) + "|").getBytes());
                        }
                    }
                }
            }
        }
        return HexFormat.of().formatHex(sha256.digest());
    }

    private static String integrityCheck(Path db) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + db);
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("PRAGMA integrity_check")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /**
     * How many users real Django reads from the database, each with its groups and permissions loaded (it fails on a
     * row it cannot read), after Django's own system checks pass.
     */
    private static int djangoReadsEveryUser(Path db) throws Exception {
        Path manage = repoRoot().resolve("interop/djangoproject/manage.py");
        ProcessBuilder builder = new ProcessBuilder("/usr/bin/python3", manage.toString(), "shell", "-c",
                "from django.core import checks; from django.contrib.auth import get_user_model\n"
                        + "assert not [m for m in checks.run_checks() if m.is_serious()]\n"
                        + "users = list(get_user_model().objects.prefetch_related('groups', 'user_permissions'))\n"
                        + "[u.get_all_permissions() for u in users]\n"
                        + "print(len(users))")
                .redirectErrorStream(true);
        builder.environment().put("DJANGO_DB_PATH", db.toString());
        builder.environment().remove("DJANGO_DB_URL");
        builder.environment().remove("DJANGO_USER_VARIANT");
        Process django = builder.start();
        String out = new String(django.getInputStream().readAllBytes()).trim();
        assertThat(django.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(django.exitValue()).as(out).isZero();
        return Integer.parseInt(out.substring(out.lastIndexOf('\n') + 1).trim());
    }

    private static Path repoRoot() {
        for (Path folder = Path.of("").toAbsolutePath(); folder != null; folder = folder.getParent()) {
            if (Files.isRegularFile(folder.resolve("interop/djangoproject/manage.py"))) {
                return folder;
            }
        }
        throw new AssertionError("interop/djangoproject/manage.py not found above " + Path.of("").toAbsolutePath());
    }

    private Process start(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(JAVA, "-jar", JAR.toString()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    /** Runs to the end and returns how long it took, to spread the kills over a whole run (no assertion on it). */
    private long completeRunMillis(String... args) throws Exception {
        long start = System.nanoTime();
        Process process = start(args);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isZero();
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static void kill(Process process, long afterMillis) throws InterruptedException {
        Thread.sleep(afterMillis);
        process.destroyForcibly();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aKilledImportLeavesTheDatabaseUntouchedOrFullyImported() throws Exception {
        assertThat(JAR).as("the shaded jar, built at package").exists();
        Path source = bigSource();
        assertExit(new Cli(dir, temp).run("export", "--db", source.toString(), "backup.json"), 0);
        Path pristine = Fixtures.djangoDatabase(dir, "pristine.sqlite3");
        TestDatabases.execute(pristine, "UPDATE auth_user SET password = 'pbkdf2_sha256$1$other$other' WHERE id = 1");
        String before = content(pristine);

        Path reference = dir.resolve("reference.sqlite3");
        Files.copy(pristine, reference);
        long fullRun = completeRunMillis("import", "--db", reference.toString(), "--mode", "replace", "--yes", "backup.json");
        String imported = content(reference);
        assertThat(imported).isNotEqualTo(before);

        long seed = System.nanoTime();
        Random random = new Random(seed);
        int untouched = 0;
        int complete = 0;
        for (int kill = 0; kill < KILLS; kill++) {
            Path target = dir.resolve("target-" + kill + ".sqlite3");
            Files.copy(pristine, target, StandardCopyOption.REPLACE_EXISTING);
            // One kill in each of KILLS equal slices of 1.5 times a whole run: the start, the check pass, the writes,
            // the commit, and after the process has ended.
            long at = (long) (fullRun * 1.5 * (kill + random.nextDouble()) / KILLS);
            kill(start("import", "--db", target.toString(), "--mode", "replace", "--yes", "backup.json"), at);

            String after = content(target);
            assertThat(integrityCheck(target)).as("seed %d, kill %d at %d ms", seed, kill, at).isEqualTo("ok");
            assertThat(after).as("seed %d, kill %d at %d ms of %d", seed, kill, at, fullRun).isIn(before, imported);
            assertThat(djangoReadsEveryUser(target)).as("Django on target %d", kill)
                    .isEqualTo(after.equals(before) ? 2 : EXTRA_USERS + 2);
            untouched += after.equals(before) ? 1 : 0;
            complete += after.equals(imported) ? 1 : 0;
        }
        assertThat(untouched + complete).isEqualTo(KILLS);
        assertThat(untouched).as("kills that left the database untouched (seed %d)", seed).isPositive();
        assertThat(complete).as("kills after the commit, which left it fully imported (seed %d)", seed).isPositive();
        System.out.printf("CrashSafetyIT: %d kills over a %d ms import (seed %d): %d untouched, %d fully imported%n",
                KILLS, fullRun, seed, untouched, complete);
    }

    @Test
    void aKilledExportLeavesNoPartialFileUnderTheDestinationName() throws Exception {
        assertThat(JAR).as("the shaded jar, built at package").exists();
        Path source = bigSource();
        long fullRun = completeRunMillis("export", "--db", source.toString(), "reference.json");

        long seed = System.nanoTime();
        Random random = new Random(seed);
        for (int kill = 0; kill < KILLS; kill++) {
            String name = "backup-" + kill + ".json";
            long at = (long) (fullRun * random.nextDouble());
            kill(start("export", "--db", source.toString(), name), at);

            Path destination = dir.resolve(name);
            if (Files.exists(destination)) {
                // Complete, or not there at all.
                assertExit(new Cli(dir, temp).run("verify", name), 0);
            }
            try (Stream<Path> files = Files.list(dir)) {
                assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(name)))
                        .as("seed %d, kill %d at %d ms", seed, kill, at).allMatch(name::equals);
            }
        }
    }
}
