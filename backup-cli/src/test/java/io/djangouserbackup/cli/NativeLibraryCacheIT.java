package io.djangouserbackup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plain {@code java -jar} run (no launcher) unpacks SQLite's library once into an owner-only cache folder and
 * loads it from there, so the driver neither starts its {@code uname -o} probe nor copies the library to a
 * temporary file (issue 15).
 */
class NativeLibraryCacheIT {
    private static final Path JAR = Path.of(System.getProperty("django-user-backup.jar", "target/django-user-backup.jar"))
            .toAbsolutePath();
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    private static final Path EXAMPLE = Path.of("..", "examples", "example.sqlite3").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    @Test
    void plainJavaJarLoadsTheLibraryFromTheCacheWithoutTheDriversProbe() throws Exception {
        Path cache = Files.createDirectory(dir.resolve("cache"));
        Path classes = dir.resolve("classes.log");
        Path backup = dir.resolve("example.json");

        assertThat(run(cache, null, "export", "--quiet", "--db", EXAMPLE.toString(), backup.toString())).isZero();
        Path tool = cache.resolve("django-user-backup");
        List<Path> folders;
        try (var list = Files.list(tool)) {
            folders = list.toList();
        }
        assertThat(folders).hasSize(1);
        assertThat(folders.get(0).resolve(NativeLibrary.LIB_NAME)).isRegularFile();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tool))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folders.get(0)))).isEqualTo("rwx------");

        assertThat(run(cache, "-Xlog:class+load=info:file=" + classes, "export", "--quiet", "--force", "--db",
                EXAMPLE.toString(), backup.toString())).isZero();
        assertThat(Files.readAllLines(classes, StandardCharsets.UTF_8))
                .as("the library came from the cache: the driver did not probe the platform to extract it")
                .anyMatch(l -> l.contains("org.sqlite.core.NativeDB "))
                .noneMatch(l -> l.contains("org.sqlite.util.ProcessRunner"));
    }

    private int run(Path cache, String javaOption, String... args) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(JAVA);
        if (javaOption != null) {
            builder.command().add(javaOption);
        }
        builder.command().addAll(List.of("-jar", JAR.toString()));
        builder.command().addAll(List.of(args));
        builder.environment().put("XDG_CACHE_HOME", cache.toString());
        builder.redirectErrorStream(true).redirectOutput(dir.resolve("run.out").toFile());
        Process process = builder.start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        if (process.exitValue() != 0) {
            System.err.println(Files.readString(dir.resolve("run.out")));
        }
        return process.exitValue();
    }
}
