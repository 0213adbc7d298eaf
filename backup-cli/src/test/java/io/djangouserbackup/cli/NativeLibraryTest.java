package io.djangouserbackup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cache of SQLite's native library that a plain {@code java -jar} run uses (issue 15): unpacked once,
 * owner-only, checked against the jar on every run, written again when it is not the jar's, and never used from a
 * folder someone else could change.
 */
class NativeLibraryTest {
    private static final String ENTRY = "org/sqlite/native/Linux/x86_64/libsqlitejdbc.so";

    @TempDir
    Path dir;

    private Path jar;
    private byte[] library;
    private Path cache;

    @BeforeEach
    void jarWithALibrary() throws IOException {
        library = new byte[300_000];
        new Random(15).nextBytes(library);
        jar = dir.resolve("tool.jar");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(jar))) {
            zip.putNextEntry(new ZipEntry(ENTRY));
            zip.write(library);
            zip.closeEntry();
        }
        cache = Files.createDirectory(dir.resolve("cache"));
    }

    @Test
    void unpacksOnceIntoAnOwnerOnlyFolderAndUsesThatCopyAfterwards() throws IOException {
        Path folder = NativeLibrary.cached(jar, ENTRY, cache);

        assertThat(folder).isNotNull().startsWith(cache.resolve("django-user-backup"));
        Path copy = folder.resolve(NativeLibrary.LIB_NAME);
        assertThat(Files.readAllBytes(copy)).isEqualTo(library);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder.getParent()))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(copy))).isEqualTo("rwx------");

        FileTime written = FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(copy, written);
        assertThat(NativeLibrary.cached(jar, ENTRY, cache)).isEqualTo(folder);
        assertThat(Files.getLastModifiedTime(copy)).as("a good copy is not written again").isEqualTo(written);
        assertThat(leftovers(folder)).containsExactly(NativeLibrary.LIB_NAME);
    }

    @Test
    void aDamagedOrShortenedCopyIsWrittenAgainFromTheJar() throws IOException {
        Path copy = NativeLibrary.cached(jar, ENTRY, cache).resolve(NativeLibrary.LIB_NAME);
        byte[] damaged = library.clone();
        damaged[12_345] ^= 1;
        Files.write(copy, damaged);
        assertThat(NativeLibrary.cached(jar, ENTRY, cache)).isNotNull();
        assertThat(Files.readAllBytes(copy)).isEqualTo(library);

        Files.write(copy, new byte[] {1, 2, 3});
        assertThat(NativeLibrary.cached(jar, ENTRY, cache)).isNotNull();
        assertThat(Files.readAllBytes(copy)).isEqualTo(library);
    }

    @Test
    void aFolderOthersCanWriteOrThatIsALinkIsNotUsed() throws IOException {
        Path folder = NativeLibrary.cached(jar, ENTRY, cache);
        Files.setPosixFilePermissions(folder.getParent(), PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThat(NativeLibrary.cached(jar, ENTRY, cache)).isNull();
        Files.setPosixFilePermissions(folder.getParent(), PosixFilePermissions.fromString("rwx------"));

        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-x---"));
        assertThat(NativeLibrary.cached(jar, ENTRY, cache)).isNull();

        Path elsewhere = Files.createDirectory(dir.resolve("elsewhere"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(folder);
        Files.createSymbolicLink(folder, elsewhere);
        assertThat(NativeLibrary.cached(jar, ENTRY, cache)).isNull();
        assertThat(leftovers(elsewhere)).as("nothing written through the link").isEmpty();
    }

    @Test
    void aCopyThatIsALinkOrWritableByOthersIsReplaced() throws IOException {
        Path folder = NativeLibrary.cached(jar, ENTRY, cache);
        Path copy = folder.resolve(NativeLibrary.LIB_NAME);
        Path elsewhere = dir.resolve("elsewhere.so");
        Files.write(elsewhere, library);
        Files.delete(copy);
        Files.createSymbolicLink(copy, elsewhere);
        assertThat(NativeLibrary.cached(jar, ENTRY, cache)).isEqualTo(folder);
        assertThat(Files.isSymbolicLink(copy)).isFalse();
        assertThat(Files.readAllBytes(copy)).isEqualTo(library);

        Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThat(NativeLibrary.cached(jar, ENTRY, cache)).isEqualTo(folder);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(copy))).isEqualTo("rwx------");
    }

    @Test
    void aJarWithoutTheLibraryGivesNoFolder() {
        assertThat(NativeLibrary.cached(jar, "org/sqlite/native/Linux/riscv64/libsqlitejdbc.so", cache)).isNull();
    }

    @Test
    void runsAtTheSameTimeEachGetACompleteCopy() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Path>> runs = new ArrayList<>();
            Callable<Path> run = () -> NativeLibrary.cached(jar, ENTRY, cache);
            for (int i = 0; i < 8; i++) {
                runs.add(pool.submit(run));
            }
            Path first = runs.get(0).get();
            assertThat(first).isNotNull();
            for (Future<Path> other : runs) {
                assertThat(other.get()).isEqualTo(first);
            }
            assertThat(Files.readAllBytes(first.resolve(NativeLibrary.LIB_NAME))).isEqualTo(library);
            assertThat(leftovers(first)).as("no partial files left").containsExactly(NativeLibrary.LIB_NAME);
        } finally {
            pool.shutdownNow();
        }
    }

    private static List<String> leftovers(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(f -> f.getFileName().toString()).toList();
        }
    }
}
