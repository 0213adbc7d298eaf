package io.djangouserbackup.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/ENCRYPTION.md is precise enough to decrypt with another tool: its reference reader, {@code
 * docs/decrypt_backup.py} (Python's hashlib and the cryptography package, no Java), decrypts what the library
 * wrote, with a passphrase that is not ASCII (the key derivation takes its UTF-8 bytes), plain and compressed.
 */
class EncryptionFormatTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);
    private static final String PASSPHRASE = "Grüße, 🔑 über alles";

    @TempDir
    Path dir;

    static Path script() {
        for (Path folder = Path.of("").toAbsolutePath(); folder != null; folder = folder.getParent()) {
            Path script = folder.resolve("docs/decrypt_backup.py");
            if (Files.isRegularFile(script)) {
                return script;
            }
        }
        throw new AssertionError("docs/decrypt_backup.py not found above " + Path.of("").toAbsolutePath());
    }

    private static byte[] pythonDecrypts(Path file, String passphrase) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("/usr/bin/python3", script().toString(), file.toString());
        builder.environment().put("DJANGO_USER_BACKUP_PASSPHRASE", passphrase);
        Path err = Files.createTempFile(file.getParent(), "python", ".err");
        Process python = builder.redirectError(err.toFile()).start();
        byte[] out = python.getInputStream().readAllBytes();
        assertThat(python.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(python.exitValue()).as(Files.readString(err)).isZero();
        return out;
    }

    @Test
    void theReferenceReaderInPythonDecryptsWhatTheLibraryWrote() throws Exception {
        Path db = TestDatabases.create(dir, "db.sqlite3", TestDatabases.AUTH_USER);
        for (int id = 1; id <= 400; id++) {
            TestDatabases.insertUser(db, id, "user" + id, "pbkdf2_sha256$260000$c2FsdA$aGFzaA=");
        }
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        Exporter.of(DjangoDatabase.sqlite(db)).withClock(CLOCK).exportTo(plain);
        assertThat(plain.size()).as("more than one 64 KiB segment").isGreaterThan(64 * 1024);
        Path encrypted = dir.resolve("backup.json.enc");
        Path compressed = dir.resolve("backup.json.gz.enc");
        try (Encryption encryption = Encryption.withPassphrase(PASSPHRASE.toCharArray())) {
            Exporter exporter = Exporter.of(DjangoDatabase.sqlite(db)).withClock(CLOCK).withEncryption(encryption);
            exporter.exportTo(encrypted);
            exporter.exportTo(compressed);
        }

        assertThat(pythonDecrypts(encrypted, PASSPHRASE)).isEqualTo(plain.toByteArray());
        try (InputStream gunzip = new GZIPInputStream(new java.io.ByteArrayInputStream(pythonDecrypts(compressed, PASSPHRASE)))) {
            assertThat(gunzip.readAllBytes()).isEqualTo(plain.toByteArray());
        }
    }

    @Test
    void theReferenceReaderRefusesAWrongPassphraseToo() throws Exception {
        Path db = TestDatabases.create(dir, "db.sqlite3", TestDatabases.AUTH_USER);
        Path encrypted = dir.resolve("backup.json.enc");
        try (Encryption encryption = Encryption.withPassphrase(PASSPHRASE.toCharArray())) {
            Exporter.of(DjangoDatabase.sqlite(db)).withEncryption(encryption).exportTo(encrypted);
        }
        ProcessBuilder builder = new ProcessBuilder("/usr/bin/python3", script().toString(), encrypted.toString());
        builder.environment().put("DJANGO_USER_BACKUP_PASSPHRASE", "Grüsse, 🔑 über alles");
        Process python = builder.redirectErrorStream(true).start();
        String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(python.waitFor(120, TimeUnit.SECONDS)).isTrue();

        assertThat(python.exitValue()).isEqualTo(1);
        assertThat(output).contains("wrong passphrase");
    }
}
