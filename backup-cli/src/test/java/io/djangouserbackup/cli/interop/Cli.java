package io.djangouserbackup.cli.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The built shaded jar, run as a separate process the way an operator runs it. */
final class Cli {
    private static final Duration TIMEOUT = Duration.ofMinutes(3);

    private Cli() {
    }

    /** The jar failsafe names in {@code django-user-backup.jar}, else {@code target/django-user-backup.jar}. */
    static Path jar() {
        String configured = System.getProperty("django-user-backup.jar");
        Path jar = configured != null ? Path.of(configured) : Path.of("target", "django-user-backup.jar").toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            fail("the shaded jar " + jar + " does not exist; the interop suite runs after `package` (mvn -B verify)");
        }
        return jar;
    }

    /** Runs {@code java -jar django-user-backup.jar ARGS} in {@code dir}. */
    static Finished run(Path dir, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-jar");
        command.add(jar().toString());
        command.addAll(List.of(args));
        Map<String, String> env = new HashMap<>();
        env.put("DATABASE_URL", null);
        return Processes.run(command, env, dir, TIMEOUT);
    }

    /** {@code export --db DB OUTPUT}, which must succeed. */
    static Finished export(Path db, Path output) {
        Finished finished = run(db.getParent(), "export", "--db", db.toString(), output.toString());
        assertThat(finished.exitCode()).as(() -> "export failed:\n" + finished.describe()).isZero();
        assertThat(output).as("backup written by\n%s", finished.describe()).isNotEmptyFile();
        return finished;
    }

    /** {@code import --db DB --mode MODE --yes INPUT}, however it ends. */
    static Finished tryImport(Path db, String mode, Path input) {
        return run(db.getParent(), "import", "--db", db.toString(), "--mode", mode, "--yes", input.toString());
    }

    /** {@code import --db DB --mode MODE --yes INPUT}, which must succeed. */
    static Finished importInto(Path db, String mode, Path input) {
        Finished finished = tryImport(db, mode, input);
        assertThat(finished.exitCode()).as(() -> "import (" + mode + ") failed:\n" + finished.describe()).isZero();
        return finished;
    }

    /**
     * Runs the jar on a database server named by a URL without a password, which must succeed; the password travels
     * in the engine client's variable ({@code PGPASSWORD}, {@code MYSQL_PWD}), as an operator's would, never on the
     * command line.
     */
    static Finished runOnServer(Path dir, String passwordVariable, String password, String... args) {
        Finished finished = tryOnServer(dir, passwordVariable, password, args);
        assertThat(finished.exitCode()).as(() -> String.join(" ", args) + " failed:\n" + finished.describe()).isZero();
        return finished;
    }

    /** The same, however it ends. */
    static Finished tryOnServer(Path dir, String passwordVariable, String password, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-jar");
        command.add(jar().toString());
        command.addAll(List.of(args));
        Map<String, String> env = new HashMap<>();
        env.put("DATABASE_URL", null);
        env.put(passwordVariable, password);
        return Processes.run(command, env, dir, TIMEOUT);
    }
}
