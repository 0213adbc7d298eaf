package io.djangouserbackup.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.djangouserbackup.core.internal.EncryptionHeader;
import io.djangouserbackup.model.Sections;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Encrypted backups (issue 6): what is exported encrypted imports back to identical data; the file holds no hash and
 * is owner-only; a wrong passphrase, a truncated file, a flipped byte, swapped segments and header edits are each
 * refused with one message and leave the database byte for byte as it was.
 */
class EncryptionTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);
    private static final String HASH = "pbkdf2_sha256$260000$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA=";
    private static final int SEGMENT = 256;
    /** A segment as stored: its plaintext and the 16-byte GCM tag. */
    private static final int SEALED = SEGMENT + 16;

    @TempDir
    static Path shared;
    @TempDir
    Path dir;

    private static Encryption encryption;
    private static Path source;
    /** An encrypted backup of {@link #source} in segments of 256 bytes, so tampering has several to pick from. */
    private static byte[] encrypted;
    private static byte[] plain;

    @BeforeAll
    static void backups() throws IOException {
        encryption = Encryption.withPassphrase("correct horse battery staple".toCharArray()).withSegmentSize(SEGMENT);
        source = TestDatabases.create(shared, "source.sqlite3", TestDatabases.AUTH_USER);
        for (int id = 1; id <= 12; id++) {
            TestDatabases.insertUser(source, id, "user" + id, HASH);
        }
        TestDatabases.addToGroup(source, 1, "editors");
        TestDatabases.grant(source, 2, "change_user");
        TestDatabases.insertModel(source, 1, "gpt-4o", 0.7, 1, 2);
        Path file = shared.resolve("backup.json.enc");
        Exporter.of(DjangoDatabase.sqlite(source)).withClock(CLOCK).withEncryption(encryption).exportTo(file);
        encrypted = Files.readAllBytes(file);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Exporter.of(DjangoDatabase.sqlite(source)).withClock(CLOCK).exportTo(out);
        plain = out.toByteArray();
    }

    @AfterAll
    static void clear() {
        encryption.close();
    }

    private int targets;

    private Path target() {
        return TestDatabases.create(dir, "target" + ++targets + ".sqlite3", TestDatabases.AUTH_USER);
    }

    private static BackupSource decrypting(byte[] bytes) {
        return BackupSource.of(bytes).decryptingWith(encryption);
    }

    private static byte[] decrypt(BackupSource source) throws IOException {
        try (InputStream in = source.open()) {
            return in.readAllBytes();
        }
    }

    @Test
    void anEncryptedExportImportsBackToIdenticalData() {
        Path target = target();

        ImportResult result = Importer.of(DjangoDatabase.sqlite(target)).withMode(ImportMode.REPLACE)
                .importFrom(decrypting(encrypted));

        assertThat(result.sections().get(Sections.USERS).rows()).isEqualTo(12);
        assertThat(TableDump.of(target)).isEqualTo(TableDump.of(source));
    }

    @Test
    void itDecryptsToExactlyTheBytesOfTheUnencryptedExport() throws IOException {
        assertThat(encrypted.length).isGreaterThan(3 * SEALED);
        assertThat(decrypt(decrypting(encrypted))).isEqualTo(plain);
        assertThat(Verifier.standard().verify(decrypting(encrypted)).rows(Sections.USERS)).isEqualTo(12);
    }

    @Test
    void theFileHoldsNoHashNoNameAndIsReadableByItsOwnerOnly() throws IOException {
        Path file = dir.resolve("backup.json.enc");
        Exporter.of(DjangoDatabase.sqlite(source)).withEncryption(encryption).exportTo(file);

        String bytes = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        assertThat(bytes).doesNotContain("pbkdf2_sha256").doesNotContain("c2FsdHNhbHQ").doesNotContain("user1")
                .doesNotContain("format_version");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(BackupSource.of(file).isEncrypted()).isTrue();
        assertThat(BackupSource.of(plain).isEncrypted()).isFalse();
    }

    @Test
    void theHeaderCarriesAtLeast600000IterationsAndAFreshSaltPerFile() throws IOException {
        ByteArrayOutputStream again = new ByteArrayOutputStream();
        Exporter.of(DjangoDatabase.sqlite(source)).withClock(CLOCK).withEncryption(encryption).exportTo(again);
        byte[] other = again.toByteArray();

        assertThat(ByteBuffer.wrap(encrypted).getInt(10)).isGreaterThanOrEqualTo(600_000);
        assertThat(EncryptionHeader.read(new java.io.ByteArrayInputStream(encrypted)).iterations()).isEqualTo(600_000);
        assertThat(Arrays.copyOfRange(other, 14, 30)).as("salt").isNotEqualTo(Arrays.copyOfRange(encrypted, 14, 30));
        assertThat(Arrays.copyOfRange(other, 34, 41)).as("nonce prefix").isNotEqualTo(Arrays.copyOfRange(encrypted, 34, 41));
        assertThat(decrypt(decrypting(other))).isEqualTo(plain);
    }

    @Test
    void moreIterationsAreWrittenAndReadBack() throws IOException {
        try (Encryption slower = Encryption.withPassphrase("correct horse battery staple".toCharArray()).withIterations(700_000)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Exporter.of(DjangoDatabase.sqlite(source)).withClock(CLOCK).withEncryption(slower).exportTo(out);

            assertThat(ByteBuffer.wrap(out.toByteArray()).getInt(10)).isEqualTo(700_000);
            // The count comes from the file, whatever the reader's own setting.
            assertThat(decrypt(decrypting(out.toByteArray()))).isEqualTo(plain);
        }
    }

    @Test
    void compressionComesFirstThenEncryption() throws IOException {
        Path file = dir.resolve("backup.json.gz.enc");
        Exporter.of(DjangoDatabase.sqlite(source)).withClock(CLOCK).withEncryption(encryption).exportTo(file);

        byte[] bytes = Files.readAllBytes(file);
        assertThat(bytes.length).isLessThan(encrypted.length / 2);
        assertThat(decrypt(decrypting(bytes))).isEqualTo(plain);
        Path target = target();
        Importer.of(DjangoDatabase.sqlite(target)).withMode(ImportMode.REPLACE).importFrom(BackupSource.of(file).decryptingWith(encryption));
        assertThat(TableDump.of(target)).isEqualTo(TableDump.of(source));
    }

    @Test
    void aWrongPassphraseIsOneErrorAndTheDatabaseStaysByteIdentical() {
        Path target = target();
        String before = TestDatabases.sha256(target);
        try (Encryption wrong = Encryption.withPassphrase("correct horse battery stapler".toCharArray())) {
            BackupSource source = BackupSource.of(encrypted).decryptingWith(wrong);

            assertThatThrownBy(() -> Importer.of(DjangoDatabase.sqlite(target)).importFrom(source))
                    .isInstanceOf(WrongPassphraseException.class)
                    .hasMessage("backup in memory (" + encrypted.length + " bytes): wrong passphrase (or the file's"
                            + " encryption header was changed); nothing was decrypted");
            assertThatThrownBy(() -> Verifier.standard().verify(source)).isInstanceOf(WrongPassphraseException.class);
        }
        assertThat(TestDatabases.sha256(target)).isEqualTo(before);
    }

    @Test
    void withoutAPassphraseAnEncryptedBackupIsRefusedAndAPlainOneReadsWithOne() {
        assertThatThrownBy(() -> Verifier.standard().verify(BackupSource.of(encrypted)))
                .isInstanceOf(InvalidBackupException.class)
                .hasMessageContaining("is encrypted; it needs its passphrase");
        assertThat(Verifier.standard().verify(decrypting(plain)).rows(Sections.USERS)).isEqualTo(12);
    }

    @Test
    void theKeyIsDerivedOnceForASourceReadTwice() throws IOException {
        Encryption once = Encryption.withPassphrase("correct horse battery staple".toCharArray());
        BackupSource source = BackupSource.of(encrypted).decryptingWith(once);
        assertThat(decrypt(source)).isEqualTo(plain);

        // The passphrase is gone; the second reading (an import's writing pass) needs only the key it kept.
        once.close();
        Path target = target();
        Importer.of(DjangoDatabase.sqlite(target)).withMode(ImportMode.REPLACE).importFrom(source);
        assertThat(TableDump.of(target)).isEqualTo(TableDump.of(EncryptionTest.source));
        assertThatThrownBy(() -> BackupSource.of(encrypted).decryptingWith(once).open())
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aStreamExportIsEncryptedToo() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ExportResult result = Exporter.of(DjangoDatabase.sqlite(source)).withClock(CLOCK).withEncryption(encryption).exportTo(out);

        assertThat(result.bytes()).isEqualTo(out.size());
        assertThat(BackupSource.of(out.toByteArray()).isEncrypted()).isTrue();
        assertThat(decrypt(decrypting(out.toByteArray()))).isEqualTo(plain);
    }

    @Test
    void thePassphraseIsNeverShownAndMustNotBeEmpty() {
        assertThat(encryption.toString()).doesNotContain("horse").contains("600000");
        assertThatThrownBy(() -> Encryption.withPassphrase(new char[0])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> encryption.withIterations(599_999)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> encryption.withIterations(10_000_001)).isInstanceOf(IllegalArgumentException.class);
    }

    // ------------------------------------------------------------------------------------------- tampering

    /** The import's message for a damaged file, after checking that the database did not change. */
    private String refused(byte[] damaged) {
        Path target = target();
        String before = TestDatabases.sha256(target);
        // One source for both, as the command line does: the key is derived once.
        BackupSource source = decrypting(damaged);
        InvalidBackupException verifying = catchInvalid(() -> Verifier.standard().verify(source));
        InvalidBackupException importing = catchInvalid(() -> Importer.of(DjangoDatabase.sqlite(target))
                .withMode(ImportMode.REPLACE).importFrom(source));
        assertThat(importing.getMessage()).isEqualTo(verifying.getMessage());
        assertThat(TestDatabases.sha256(target)).isEqualTo(before);
        assertThat(importing.getMessage()).doesNotContain("pbkdf2").doesNotContain("\n");
        return importing.getMessage();
    }

    private static InvalidBackupException catchInvalid(Runnable action) {
        try {
            action.run();
        } catch (InvalidBackupException e) {
            return e;
        }
        throw new AssertionError("not refused");
    }

    private static byte[] edit(UnaryOperator<byte[]> change) {
        return change.apply(encrypted.clone());
    }

    private static int segments() {
        return (encrypted.length - EncryptionHeader.LENGTH + SEALED - 1) / SEALED;
    }

    private static int segmentStart(int segment) {
        return EncryptionHeader.LENGTH + segment * SEALED;
    }

    @Test
    void aFileCutAtASegmentBoundaryIsTruncated() {
        byte[] cut = Arrays.copyOf(encrypted, segmentStart(2));

        assertThat(refused(cut)).isEqualTo("encrypted segment 1 at byte " + segmentStart(1) + ": the file ends after it,"
                + " but it was not sealed as the last segment: the file is truncated");
    }

    @Test
    void aFileCutAfterItsHeaderIsTruncated() {
        assertThat(refused(Arrays.copyOf(encrypted, EncryptionHeader.LENGTH)))
                .isEqualTo("encrypted segment 0 at byte 57: missing: the file ends right after its encryption header (truncated)");
        assertThat(refused(Arrays.copyOf(encrypted, 30)))
                .isEqualTo("encryption header: the file ends after 30 of its 57 bytes (truncated)");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 15, 16, 100})
    void aFileCutInsideASegmentIsRefused(int into) {
        byte[] cut = Arrays.copyOf(encrypted, segmentStart(1) + into);

        assertThat(refused(cut)).startsWith("encrypted segment 1 at byte " + segmentStart(1) + ": ")
                .containsAnyOf("truncated", "(truncated)");
    }

    @Test
    void aFlippedByteInAnySegmentIsRefusedNamingTheSegment() {
        for (int segment = 0; segment < segments(); segment++) {
            int at = Math.min(segmentStart(segment) + 40, encrypted.length - 1);
            byte[] flipped = edit(bytes -> {
                bytes[at] ^= 0x01;
                return bytes;
            });
            boolean last = segment == segments() - 1;
            assertThat(refused(flipped)).as("segment %d", segment).isEqualTo("encrypted segment " + segment + " at byte "
                    + segmentStart(segment) + ": does not authenticate: the file was "
                    + (last ? "truncated, damaged or changed" : "damaged or changed") + " after it was written");
        }
    }

    @Test
    void swappedSegmentsAreRefused() {
        byte[] swapped = edit(bytes -> {
            System.arraycopy(encrypted, segmentStart(1), bytes, segmentStart(2), SEALED);
            System.arraycopy(encrypted, segmentStart(2), bytes, segmentStart(1), SEALED);
            return bytes;
        });

        assertThat(refused(swapped)).startsWith("encrypted segment 1 at byte " + segmentStart(1) + ": does not authenticate");
    }

    @Test
    void aDroppedOrRepeatedSegmentIsRefused() {
        byte[] dropped = new byte[encrypted.length - SEALED];
        System.arraycopy(encrypted, 0, dropped, 0, segmentStart(1));
        System.arraycopy(encrypted, segmentStart(2), dropped, segmentStart(1), encrypted.length - segmentStart(2));
        byte[] repeated = new byte[encrypted.length + SEALED];
        System.arraycopy(encrypted, 0, repeated, 0, segmentStart(2));
        System.arraycopy(encrypted, segmentStart(1), repeated, segmentStart(2), encrypted.length - segmentStart(1));

        assertThat(refused(dropped)).startsWith("encrypted segment 1 at byte " + segmentStart(1) + ": does not authenticate");
        assertThat(refused(repeated)).startsWith("encrypted segment 2 at byte " + segmentStart(2) + ": does not authenticate");
    }

    @Test
    void bytesAppendedAfterTheLastSegmentAreRefused() {
        byte[] longer = Arrays.copyOf(encrypted, encrypted.length + 1);

        assertThat(refused(longer)).contains("does not authenticate");
    }

    /** A byte of each field after the magic: version, derivation, iterations, salt, segment size, nonce, key check. */
    @ParameterizedTest
    @ValueSource(ints = {8, 9, 10, 13, 14, 29, 30, 33, 34, 40, 41, 56})
    void anEditOfAnyHeaderFieldIsRefused(int at) {
        {
            int position = at;
            byte[] edited = edit(bytes -> {
                bytes[position] ^= (byte) (position == 10 ? 0x80 : position == 30 ? 0x40 : 0x01);
                return bytes;
            });
            String message = refused(edited);
            if (at == 8) {
                assertThat(message).isEqualTo("encryption header: encryption format 0 is unknown");
            } else if (at == 9) {
                assertThat(message).isEqualTo("encryption header: unknown key derivation 0 (1 is PBKDF2-HMAC-SHA256)");
            } else if (at == 10) {
                assertThat(message).startsWith("encryption header: PBKDF2 iteration count 2148083648 is outside 600000..10000000");
            } else if (at == 30) {
                assertThat(message).startsWith("encryption header: segment size 1073742080 is outside 256..1048576");
            } else {
                // Salt, a count still in range, nonce prefix, key check: the passphrase no longer fits the header.
                assertThat(message).as("byte %d", at).endsWith("wrong passphrase (or the file's encryption header was"
                        + " changed); nothing was decrypted");
            }
        }
    }

    @Test
    void tooFewOrTooManyIterationsInAHostileHeaderAreRefusedBeforeDeriving() {
        byte[] few = edit(bytes -> {
            ByteBuffer.wrap(bytes).putInt(10, 1000);
            return bytes;
        });
        byte[] many = edit(bytes -> {
            ByteBuffer.wrap(bytes).putInt(10, -1);
            return bytes;
        });

        assertThat(refused(few)).isEqualTo("encryption header: PBKDF2 iteration count 1000 is outside 600000..10000000;"
                + " refusing a damaged or hostile file");
        assertThat(refused(many)).isEqualTo("encryption header: PBKDF2 iteration count 4294967295 is outside"
                + " 600000..10000000; refusing a damaged or hostile file");
    }

    @Test
    void aFormatFromTheFutureIsNamed() {
        byte[] future = edit(bytes -> {
            bytes[8] = 2;
            return bytes;
        });

        assertThat(refused(future)).isEqualTo("encryption header: encryption format 2 is newer than this tool reads"
                + " (up to 1); use a newer django-user-backup");
    }
}
