package io.djangouserbackup.cli;

import static io.djangouserbackup.cli.Fixtures.assertExit;
import static io.djangouserbackup.cli.Fixtures.assertNoSecrets;
import static org.assertj.core.api.Assertions.assertThat;

import io.djangouserbackup.core.TestDatabases;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The bad-input corpus (test resources {@code corpus/}, made by {@code make_corpus.py}): every malformed or
 * hostile backup is refused by {@code import} and by {@code verify} with its documented exit code and one line
 * that names the place, without a stack trace or a password hash, and the database file stays byte for byte
 * the same. {@code corpus/expected.tsv} lists each file, its exit code and the start of its message. Every case
 * runs with the corpus passphrase in {@code DJANGO_USER_BACKUP_PASSPHRASE}, which the encrypted cases need.
 */
class BadInputCorpusTest {
    private static final String CORPUS = "/corpus/";
    private static final String PREFIX = "django-user-backup: ";
    /** Opens the encrypted cases (all but wrong-passphrase.json.enc); see make_corpus.py. */
    private static final String PASSPHRASE = "corpus passphrase";

    @TempDir
    Path dir;
    @TempDir
    Path temp;

    /** One line of expected.tsv. */
    record Case(String file, int exitCode, String message) {
        @Override
        public String toString() {
            return file;
        }
    }

    static List<Case> corpus() {
        try (InputStream in = Objects.requireNonNull(BadInputCorpusTest.class.getResourceAsStream(CORPUS + "expected.tsv"))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(line -> !line.isBlank() && !line.startsWith("#"))
                    .map(line -> line.split("\t", 3))
                    .map(fields -> new Case(fields[0], Integer.parseInt(fields[1]), fields[2]))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path copy(String file) throws IOException {
        try (InputStream in = Objects.requireNonNull(getClass().getResourceAsStream(CORPUS + file), file)) {
            Path copy = dir.resolve(file);
            Files.write(copy, in.readAllBytes());
            return copy;
        }
    }

    @Test
    void theCorpusHasAtLeastThirtyCasesAndEveryFileIsListed() throws IOException {
        assertThat(corpus()).hasSizeGreaterThanOrEqualTo(30);
        Path folder = Path.of(Objects.requireNonNull(getClass().getResource(CORPUS)).getPath());
        try (Stream<Path> files = Files.list(folder)) {
            List<String> names = files.map(p -> p.getFileName().toString())
                    .filter(n -> !n.equals("expected.tsv") && !n.equals("make_corpus.py") && !n.startsWith("valid"))
                    .sorted().toList();
            assertThat(corpus().stream().map(Case::file).sorted().toList()).isEqualTo(names);
        }
    }

    private Cli cli() {
        return new Cli(dir, temp).env("DJANGO_USER_BACKUP_PASSPHRASE", PASSPHRASE);
    }

    /**
     * The document every case was made from imports, plain and encrypted (by make_corpus.py in Python, from
     * docs/ENCRYPTION.md alone), and so does the Django fixture the fixture cases were made from: the cases fail
     * for what they break, nothing else.
     */
    @ParameterizedTest
    @ValueSource(strings = {"valid.json", "valid.json.enc", "valid.json.gz.enc", "valid-fixture.json"})
    void theBaseOfTheCorpusImports(String valid) throws IOException {
        Path db = Fixtures.djangoDatabase(dir, "db.sqlite3");
        copy(valid);

        Cli.Result result = cli().run("import", "--db", db.toString(), "--mode", "replace", "--yes", valid);

        assertExit(result, 0);
        assertThat(TestDatabases.queryLong(db, "SELECT count(*) FROM auth_user WHERE username IN ('carol', 'dave')")).isEqualTo(2);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void importRefusesItAndLeavesTheDatabaseByteIdentical(Case bad) throws IOException {
        Path db = Fixtures.djangoDatabase(dir, "db.sqlite3");
        copy(bad.file());
        String before = TestDatabases.sha256(db);

        Cli.Result result = cli().run("import", "--db", db.toString(), "--mode", "replace", "--yes", bad.file());

        assertRefused(result, bad);
        assertThat(TestDatabases.sha256(db)).as("database after %s", bad).isEqualTo(before);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void verifyRefusesItToo(Case bad) throws IOException {
        copy(bad.file());
        Cli.Result result = cli().run("verify", bad.file());

        // A column the target lacks is a matter of the target, which verify does not have.
        if (bad.exitCode() == ExitCodes.INVALID_BACKUP) {
            assertRefused(result, bad);
        } else {
            assertExit(result, 0);
        }
    }

    private static void assertRefused(Cli.Result result, Case bad) {
        assertExit(result, bad.exitCode());
        assertThat(result.err().lines().toList()).as("%s", result).hasSize(1);
        assertThat(result.err()).as("%s", result).startsWith(PREFIX + bad.message()).doesNotContain("\tat ").doesNotContain("Exception");
        assertThat(result.out()).isEmpty();
        assertNoSecrets(result);
        assertThat(result.err()).doesNotContain("aGFzaA=").doesNotContain(PASSPHRASE);
    }
}
