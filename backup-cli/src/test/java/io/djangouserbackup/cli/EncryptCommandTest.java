package io.djangouserbackup.cli;

import static io.djangouserbackup.cli.Fixtures.assertExit;
import static io.djangouserbackup.cli.Fixtures.assertNoSecrets;
import static io.djangouserbackup.cli.Fixtures.assertOneErrorLine;
import static org.assertj.core.api.Assertions.assertThat;

import io.djangouserbackup.core.TestDatabases;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code export --encrypt} and the decryption by {@code import} and {@code verify} (issue 6): the passphrase from
 * a file, an environment variable or the terminal, never from the command line and never printed; a wrong or
 * missing passphrase is one line with a documented exit code and leaves the database byte for byte the same.
 */
class EncryptCommandTest {
    private static final String PASSPHRASE = "correct horse battery staple";
    private static final String VARIABLE = PassphraseOptions.DEFAULT_VARIABLE;
    private static final byte[] MAGIC = {(byte) 0x89, 'D', 'U', 'B', 'E', 'N', 'C', '\n'};

    @TempDir
    Path dir;
    @TempDir
    Path temp;

    private Path source;
    private Path target;

    private Cli cli() {
        return new Cli(dir, temp);
    }

    @BeforeEach
    void databases() {
        source = Fixtures.djangoDatabase(dir, "source.sqlite3");
        target = Fixtures.emptyDjangoDatabase(dir, "target.sqlite3");
    }

    /** A plain export of the database without its date and digest: equal texts mean equal data. */
    private String plainExport(Path db, String name) throws IOException {
        assertExit(cli().run("export", "--db", db.toString(), name), 0);
        return Files.readString(dir.resolve(name)).replaceAll("(?m)^  \"(export_date|sha256)\": .*$", "");
    }

    private static boolean startsWithMagic(byte[] bytes) {
        return bytes.length >= MAGIC.length && Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC);
    }

    private static void assertPassphraseNotShown(Cli.Result result) {
        assertThat(result.err()).doesNotContain(PASSPHRASE);
        assertThat(result.out()).doesNotContain(PASSPHRASE);
        assertNoSecrets(result);
    }

    @Test
    void exportEncryptsWithThePassphraseFromTheEnvironmentAndImportRestoresIdenticalData() throws IOException {
        Cli.Result exported = cli().env(VARIABLE, PASSPHRASE).run("export", "--db", source.toString(), "--encrypt");

        assertExit(exported, 0);
        Path file = dir.resolve("user_data_backup_20260102_030405.json.enc");
        assertThat(exported.out()).startsWith("Exported ").contains(" to user_data_backup_20260102_030405.json.enc (")
                .endsWith(", encrypted)\n");
        byte[] bytes = Files.readAllBytes(file);
        assertThat(startsWithMagic(bytes)).isTrue();
        assertThat(new String(bytes, StandardCharsets.ISO_8859_1)).doesNotContain(Fixtures.ALICE_HASH)
                .doesNotContain("pbkdf2_sha256").doesNotContain("alice");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertPassphraseNotShown(exported);

        Cli.Result imported = cli().env(VARIABLE, PASSPHRASE).run("import", "--db", target.toString(), "--mode", "replace",
                "--yes", file.getFileName().toString());

        assertExit(imported, 0);
        assertPassphraseNotShown(imported);
        assertThat(plainExport(target, "after.json")).isEqualTo(plainExport(source, "before.json"));
    }

    @Test
    void verifyDecryptsAndSaysEverySegmentAuthenticates() {
        assertExit(cli().env(VARIABLE, PASSPHRASE).run("export", "--db", source.toString(), "--encrypt", "b.json.enc"), 0);

        Cli.Result result = cli().env(VARIABLE, PASSPHRASE).run("verify", "b.json.enc");

        assertExit(result, 0);
        assertThat(result.out()).startsWith("b.json.enc: a valid backup (").contains(" of 2 users, 2 groups, ")
                .endsWith("; encrypted, every segment authenticates, and its content matches its SHA-256 digest\n");
    }

    @Test
    void thePassphraseFileGivesItsFirstLineWithoutTheLineEnding() throws IOException {
        Files.writeString(dir.resolve("phrase.txt"), PASSPHRASE + "\r\nsecond line is not part of it\n");
        assertExit(cli().run("export", "--db", source.toString(), "--encrypt", "--passphrase-file", "phrase.txt",
                "b.json.gz.enc"), 0);

        // The same passphrase from the environment opens it: nothing of the line ending or the second line was taken.
        Cli.Result result = cli().env("MY_PHRASE", PASSPHRASE).run("import", "--db", target.toString(), "--yes",
                "--passphrase-env", "MY_PHRASE", "b.json.gz.enc");

        assertExit(result, 0);
        assertThat(Fixtures.users(target)).isEqualTo(2);
    }

    @Test
    void aWrongPassphraseIsOneLineExit4AndTheDatabaseStaysByteIdentical() {
        assertExit(cli().env(VARIABLE, PASSPHRASE).run("export", "--db", source.toString(), "--encrypt", "b.json.enc"), 0);
        String before = TestDatabases.sha256(target);

        Cli.Result imported = cli().env(VARIABLE, "correct horse battery stapler").run("import", "--db", target.toString(),
                "--yes", "b.json.enc");
        Cli.Result verified = cli().env(VARIABLE, "wrong").run("verify", "b.json.enc");

        for (Cli.Result result : new Cli.Result[] {imported, verified}) {
            assertExit(result, ExitCodes.INVALID_BACKUP);
            assertThat(result.err()).isEqualTo("django-user-backup: invalid backup: b.json.enc: wrong passphrase (or the"
                    + " file's encryption header was changed); nothing was decrypted\n");
            assertThat(result.out()).isEmpty();
        }
        assertThat(TestDatabases.sha256(target)).isEqualTo(before);
    }

    @Test
    void anEncryptedBackupWithoutAPassphraseAndNoTerminalIsAUsageErrorNotAHang() {
        assertExit(cli().env(VARIABLE, PASSPHRASE).run("export", "--db", source.toString(), "--encrypt", "b.json.enc"), 0);
        String before = TestDatabases.sha256(target);

        Cli.Result result = cli().run("import", "--db", target.toString(), "--yes", "b.json.enc");

        assertExit(result, ExitCodes.USAGE);
        assertOneErrorLine(result, "b.json.enc needs a passphrase, and there is no terminal to ask for it: give"
                + " --passphrase-file FILE or --passphrase-env NAME, or set DJANGO_USER_BACKUP_PASSPHRASE");
        assertThat(TestDatabases.sha256(target)).isEqualTo(before);
        assertExit(cli().run("verify", "b.json.enc"), ExitCodes.USAGE);
    }

    @Test
    void atATerminalExportAsksTwiceAndImportAsksBeforeThePlan() {
        Cli.Result exported = cli().interactive().stdin(PASSPHRASE + "\n" + PASSPHRASE + "\n")
                .run("export", "--db", source.toString(), "--encrypt", "b.json.enc");

        assertExit(exported, 0);
        assertThat(exported.err()).startsWith("Passphrase for the backup: The same passphrase again: ");
        assertPassphraseNotShown(exported);

        Cli.Result imported = cli().interactive().stdin(PASSPHRASE + "\ny\n").run("import", "--db", target.toString(),
                "b.json.enc");

        assertExit(imported, 0);
        // Progress may show between the two while the key is derived; the passphrase is asked first.
        assertThat(imported.err()).startsWith("Passphrase for b.json.enc: ").contains("Merging b.json.enc (")
                .contains("Proceed? [y/N] ");
        assertPassphraseNotShown(imported);
        assertThat(Fixtures.users(target)).isEqualTo(2);
    }

    @Test
    void twoDifferentAnswersAtTheTerminalWriteNothing() {
        Cli.Result result = cli().interactive().stdin(PASSPHRASE + "\n" + PASSPHRASE + "!\n")
                .run("export", "--db", source.toString(), "--encrypt", "b.json.enc");

        assertExit(result, ExitCodes.USAGE);
        assertThat(result.err()).endsWith("django-user-backup: the two passphrases differ; nothing was written\n");
        assertThat(dir.resolve("b.json.enc")).doesNotExist();
        assertPassphraseNotShown(result);
    }

    @Test
    void encryptionComposesWithStandardOutputAndStandardInput() {
        Cli.Result exported = cli().env(VARIABLE, PASSPHRASE).run("export", "--db", source.toString(), "--encrypt", "-");
        assertExit(exported, 0);
        assertThat(startsWithMagic(exported.stdout())).isTrue();

        Cli.Result imported = cli().env(VARIABLE, PASSPHRASE).stdin(exported.stdout()).run("import", "--db",
                target.toString(), "--yes", "-");

        assertExit(imported, 0);
        assertThat(Fixtures.users(target)).isEqualTo(2);
        assertThat(Fixtures.filesIn(temp)).as("the spooled standard input is gone").isZero();
    }

    @Test
    void anEncNameWithoutEncryptAndPassphraseOptionsWithoutEncryptAreRefused() throws IOException {
        Files.writeString(dir.resolve("phrase.txt"), PASSPHRASE);

        Cli.Result named = cli().run("export", "--db", source.toString(), "b.json.enc");
        Cli.Result optioned = cli().run("export", "--db", source.toString(), "--passphrase-file", "phrase.txt", "b.json");

        assertExit(named, ExitCodes.USAGE);
        assertOneErrorLine(named, "b.json.enc ends in .enc, but --encrypt was not given");
        assertExit(optioned, ExitCodes.USAGE);
        assertOneErrorLine(optioned, "--passphrase-file and --passphrase-env go with --encrypt");
        assertThat(dir.resolve("b.json.enc")).doesNotExist();
        assertThat(dir.resolve("b.json")).doesNotExist();
    }

    @Test
    void anEmptyOrMissingPassphraseIsAUsageError() throws IOException {
        Files.writeString(dir.resolve("empty.txt"), "\n");

        Cli.Result empty = cli().run("export", "--db", source.toString(), "--encrypt", "--passphrase-file", "empty.txt",
                "b.json.enc");
        Cli.Result unset = cli().run("export", "--db", source.toString(), "--encrypt", "--passphrase-env", "NOT_SET",
                "b.json.enc");
        Cli.Result both = cli().env("SET", "x").run("export", "--db", source.toString(), "--encrypt", "--passphrase-env",
                "SET", "--passphrase-file", "empty.txt", "b.json.enc");

        assertOneErrorLine(empty, "the passphrase for the backup is empty");
        assertOneErrorLine(unset, "--passphrase-env NOT_SET: the environment variable is not set or empty");
        assertOneErrorLine(both, "give --passphrase-file or --passphrase-env, not both");
        for (Cli.Result result : new Cli.Result[] {empty, unset, both}) {
            assertExit(result, ExitCodes.USAGE);
        }
        assertThat(dir.resolve("b.json.enc")).doesNotExist();
    }

    @Test
    void aPlainBackupNeedsNoPassphraseAndSaysSoWhenGivenOne() {
        assertExit(cli().run("export", "--db", source.toString(), "b.json"), 0);

        Cli.Result result = cli().env("MY_PHRASE", PASSPHRASE).run("import", "--db", target.toString(), "--yes",
                "--passphrase-env", "MY_PHRASE", "b.json");

        assertExit(result, 0);
        assertThat(result.err()).isEqualTo("django-user-backup: note: b.json is not encrypted; the passphrase was not needed\n");
    }

    @Test
    void thereIsNoOptionThatTakesThePassphraseOnTheCommandLine() {
        Cli.Result result = cli().run("export", "--db", source.toString(), "--encrypt", "--passphrase", PASSPHRASE, "b.json.enc");

        assertExit(result, ExitCodes.USAGE);
        assertOneErrorLine(result, "unknown option --passphrase");
        assertPassphraseNotShown(result);
        assertThat(dir.resolve("b.json.enc")).doesNotExist();
    }

    /** Issue 19: --encrypt with a plain name writes NAME.enc and says so; nothing encrypted hides under .json. */
    @Test
    void encryptAppendsEncToAPlainNameAndSaysSo19() {
        Cli.Result result = cli().env(VARIABLE, PASSPHRASE).run("export", "--db", source.toString(), "--encrypt", "users.json");

        assertExit(result, 0);
        assertThat(result.err()).contains("note: --encrypt: writing users.json.enc (an encrypted backup's name ends in .enc)");
        assertThat(result.out()).contains(" to users.json.enc (");
        assertThat(dir.resolve("users.json")).doesNotExist();
        assertThat(dir.resolve("users.json.enc")).exists();
        assertExit(cli().env(VARIABLE, PASSPHRASE).run("import", "--db", target.toString(), "--yes", "users.json.enc"), 0);
    }

    /** Issue 19: a passphrase variable set while --encrypt was forgotten gets one line; the backup is plain. */
    @Test
    void aSetPassphraseVariableWithoutEncryptGetsANote19() {
        Cli.Result result = cli().env(VARIABLE, PASSPHRASE).run("export", "--db", source.toString(), "plain.json");

        assertExit(result, 0);
        assertThat(result.err()).isEqualTo("django-user-backup: note: DJANGO_USER_BACKUP_PASSPHRASE is set, but --encrypt"
                + " was not given: this backup is not encrypted\n");
        assertThat(result.err()).doesNotContain(PASSPHRASE);
    }

    /** Issue 19: a new backup's passphrase has at least 12 characters, unless a test says otherwise. */
    @Test
    void aShortPassphraseIsRefusedWithAReasonUnlessExplicitlyAllowed19() {
        Cli.Result refused = cli().env(VARIABLE, "x").run("export", "--db", source.toString(), "--encrypt", "b.json.enc");
        Cli.Result elevenAtATerminal = cli().interactive().stdin("abcdefghijk\nabcdefghijk\n")
                .run("export", "--db", source.toString(), "--encrypt", "c.json.enc");
        Cli.Result allowed = cli().env(VARIABLE, "x").run("export", "--db", source.toString(), "--encrypt",
                "--allow-short-passphrase", "d.json.enc");

        assertExit(refused, ExitCodes.USAGE);
        assertOneErrorLine(refused, "the passphrase for the backup is shorter than 12 characters: anyone who has the file"
                + " can try passphrases offline");
        assertExit(elevenAtATerminal, ExitCodes.USAGE);
        assertThat(elevenAtATerminal.err()).contains("shorter than 12 characters").doesNotContain("abcdefghijk");
        assertThat(dir.resolve("b.json.enc")).doesNotExist();
        assertThat(dir.resolve("c.json.enc")).doesNotExist();
        assertExit(allowed, 0);
        // An existing backup opens with whatever passphrase it was made with.
        assertExit(cli().env(VARIABLE, "x").run("import", "--db", target.toString(), "--yes", "d.json.enc"), 0);
    }
}
