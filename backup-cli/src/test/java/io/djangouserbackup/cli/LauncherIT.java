package io.djangouserbackup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./django-user-backup} launcher as README tells users to run it, on a copy of the built jar
 * ({@code DJANGO_USER_BACKUP_JAR}, so nothing is rebuilt and nothing lands in {@code target/}): it makes its
 * class-data-sharing archive and unpacks SQLite's library next to the jar, and later runs use both.
 */
class LauncherIT {
    private static final Path JAR = Path.of(System.getProperty("django-user-backup.jar", "target/django-user-backup.jar"))
            .toAbsolutePath();
    private static final Path LAUNCHER = Path.of("..", "django-user-backup").toAbsolutePath().normalize();
    private static final Path EXAMPLE = Path.of("..", "examples", "example.sqlite3").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    @Test
    void exportsAndVerifiesWithAnArchiveAndTheUnpackedLibraryAndNoProbeProcess() throws Exception {
        Path jar = dir.resolve("django-user-backup.jar");
        Files.copy(JAR, jar, StandardCopyOption.COPY_ATTRIBUTES);
        Path backup = dir.resolve("example.json");

        assertThat(launch(jar, null, "export", "--quiet", "--db", EXAMPLE.toString(), backup.toString())).isZero();
        assertThat(dir.resolve("django-user-backup.jsa")).as("archive made on the first run").isRegularFile();
        assertThat(dir.resolve("native/org/sqlite/native/Linux/" + System.getProperty("os.arch").replace("amd64", "x86_64")
                + "/libsqlitejdbc.so")).isRegularFile();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(backup))).isEqualTo("rw-------");

        Path classes = dir.resolve("classes.log");
        assertThat(launch(jar, "-Xlog:class+load=info:file=" + classes, "verify", backup.toString())).isZero();
        List<String> loaded = Files.readAllLines(classes, StandardCharsets.UTF_8);
        long fromArchive = loaded.stream().filter(l -> l.contains("source: shared objects file")).count();
        assertThat(loaded).as("the driver's platform probe (it starts a uname process) is skipped")
                .noneMatch(l -> l.contains("org.sqlite.util.ProcessRunner"));
        assertThat(fromArchive).as("classes mapped from the archive, of %d", loaded.size())
                .isGreaterThan(loaded.size() * 9 / 10);
    }

    @Test
    void verifyRunsWithTheFirstCompilerOnlyAndTenuresAtOnceAndTheUsersJavaOptionsWin() throws Exception {
        Path jar = dir.resolve("django-user-backup.jar");
        Files.copy(JAR, jar, StandardCopyOption.COPY_ATTRIBUTES);
        Path backup = dir.resolve("example.json");

        assertThat(launch(jar, "-XX:+PrintFlagsFinal", "export", "--quiet", "--db", EXAMPLE.toString(), backup.toString()))
                .isZero();
        assertThat(flag("TieredStopAtLevel")).as("export keeps both compilers").isEqualTo("4");
        assertThat(flag("MaxTenuringThreshold")).as("and the default tenuring").isEqualTo("15");
        assertThat(launch(jar, "-XX:+PrintFlagsFinal", "--quiet", "verify", backup.toString())).isZero();
        assertThat(flag("TieredStopAtLevel")).as("verify, after an option").isEqualTo("1");
        assertThat(flag("MaxTenuringThreshold")).isEqualTo("0");
        assertThat(launch(jar, "-XX:TieredStopAtLevel=4 -XX:+PrintFlagsFinal", "verify", backup.toString())).isZero();
        assertThat(flag("TieredStopAtLevel")).as("DJANGO_USER_BACKUP_JAVA_OPTS comes later and wins").isEqualTo("4");
        assertThat(launch(jar, "-XX:+PrintFlagsFinal", "export", "--quiet", "--db", EXAMPLE.toString(), "verify"))
                .as("a file named verify is not the command").isZero();
        assertThat(dir.resolve("verify")).isRegularFile();
        assertThat(flag("TieredStopAtLevel")).isEqualTo("4");
    }

    /** A JVM flag's value in the last launch's -XX:+PrintFlagsFinal output. */
    private String flag(String name) throws Exception {
        return Files.readAllLines(dir.resolve("launcher.out"), StandardCharsets.UTF_8).stream()
                .filter(line -> line.trim().matches("\\w+ " + name + " .*"))
                .map(line -> line.trim().split("\\s+")[3])
                .findFirst().orElseThrow();
    }

    private int launch(Path jar, String javaOptions, String... args) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(LAUNCHER.toString());
        builder.command().addAll(List.of(args));
        builder.environment().put("DJANGO_USER_BACKUP_JAR", jar.toString());
        if (javaOptions != null) {
            builder.environment().put("DJANGO_USER_BACKUP_JAVA_OPTS", javaOptions);
        } else {
            builder.environment().remove("DJANGO_USER_BACKUP_JAVA_OPTS");
        }
        builder.directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("launcher.out").toFile());
        Process process = builder.start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        if (process.exitValue() != 0) {
            System.err.println(Files.readString(dir.resolve("launcher.out")));
        }
        return process.exitValue();
    }
}
