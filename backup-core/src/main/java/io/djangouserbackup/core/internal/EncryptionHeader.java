package io.djangouserbackup.core.internal;

import io.djangouserbackup.core.InvalidBackupException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * The 57-byte header of an encrypted backup (docs/ENCRYPTION.md): what a reader needs to derive the key and open
 * the segments. Every segment is sealed with all 57 bytes as associated data, so no byte of it can change unseen.
 *
 * <pre>
 * offset size field
 *      0    8 magic 89 44 55 42 45 4E 43 0A ("\x89DUBENC\n")
 *      8    1 format version, 1
 *      9    1 key derivation, 1 = PBKDF2-HMAC-SHA256
 *     10    4 iterations, unsigned big-endian
 *     14   16 salt
 *     30    4 segment size (plaintext bytes per segment), unsigned big-endian
 *     34    7 nonce prefix
 *     41   16 key check: HMAC-SHA256(check key, bytes 0..40), first 16 bytes
 * </pre>
 *
 * @param iterations  PBKDF2 iterations
 * @param salt        16 random bytes
 * @param segmentSize plaintext bytes in every segment but the last
 * @param noncePrefix 7 random bytes that start every segment's nonce
 * @param keyCheck    16 bytes that tell a wrong passphrase from a right one before any segment is opened
 */
public record EncryptionHeader(int iterations, byte[] salt, int segmentSize, byte[] noncePrefix, byte[] keyCheck) {
    /** The first bytes of every encrypted backup: not JSON, not gzip, and a high byte that 7-bit transfers break. */
    private static final byte[] MAGIC = {(byte) 0x89, 'D', 'U', 'B', 'E', 'N', 'C', '\n'};
    public static final int VERSION = 1;
    public static final int KDF_PBKDF2_HMAC_SHA256 = 1;
    public static final int SALT_LENGTH = 16;
    public static final int NONCE_PREFIX_LENGTH = 7;
    public static final int KEY_CHECK_LENGTH = 16;
    /** The bytes the key check covers: everything before it. */
    public static final int CHECKED_LENGTH = 41;
    public static final int LENGTH = CHECKED_LENGTH + KEY_CHECK_LENGTH;

    /** OWASP's 2023 minimum for PBKDF2-HMAC-SHA256; fewer in a header is a damaged or hostile file. */
    public static final int MIN_ITERATIONS = 600_000;
    /** Above this, a hostile header could keep a reader busy for minutes before anything fails. */
    public static final int MAX_ITERATIONS = 10_000_000;
    public static final int DEFAULT_SEGMENT_SIZE = 64 * 1024;
    public static final int MIN_SEGMENT_SIZE = 256;
    /** A reader holds one segment in memory; a hostile header must not make that large. */
    public static final int MAX_SEGMENT_SIZE = 1024 * 1024;

    private static final String PLACE = "encryption header";

    public EncryptionHeader {
        salt = salt.clone();
        noncePrefix = noncePrefix.clone();
        keyCheck = keyCheck == null ? new byte[KEY_CHECK_LENGTH] : keyCheck.clone();
    }

    /** A header for a new file: fresh random salt and nonce prefix, the key check still to be set. */
    public static EncryptionHeader fresh(int iterations, int segmentSize, SecureRandom random) {
        checkIterations(iterations);
        checkSegmentSize(segmentSize);
        byte[] salt = new byte[SALT_LENGTH];
        byte[] noncePrefix = new byte[NONCE_PREFIX_LENGTH];
        random.nextBytes(salt);
        random.nextBytes(noncePrefix);
        return new EncryptionHeader(iterations, salt, segmentSize, noncePrefix, null);
    }

    /** The same header with the key check the keys give for it. */
    public EncryptionHeader withKeyCheck(EncryptionKeys keys) {
        return new EncryptionHeader(iterations, salt, segmentSize, noncePrefix, keys.keyCheck(checkedBytes()));
    }

    /** Whether the stream starts with the magic bytes; the stream is left where it was (it must support mark). */
    public static boolean startsWithMagic(InputStream in) throws IOException {
        in.mark(MAGIC.length);
        try {
            byte[] start = in.readNBytes(MAGIC.length);
            return Arrays.equals(start, MAGIC);
        } finally {
            in.reset();
        }
    }

    /**
     * Reads and checks a header; refuses what this version cannot read and counts no honest writer uses, before
     * any key is derived.
     */
    public static EncryptionHeader read(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(LENGTH);
        if (bytes.length < LENGTH) {
            throw new InvalidBackupException(PLACE, "the file ends after " + bytes.length + " of its " + LENGTH
                    + " bytes (truncated)");
        }
        if (!Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new InvalidBackupException(PLACE, "not an encrypted backup");
        }
        ByteBuffer header = ByteBuffer.wrap(bytes);
        int version = Byte.toUnsignedInt(header.get(8));
        if (version != VERSION) {
            throw new InvalidBackupException(PLACE, "encryption format " + version + (version > VERSION
                    ? " is newer than this tool reads (up to " + VERSION + "); use a newer django-user-backup"
                    : " is unknown"));
        }
        int kdf = Byte.toUnsignedInt(header.get(9));
        if (kdf != KDF_PBKDF2_HMAC_SHA256) {
            throw new InvalidBackupException(PLACE, "unknown key derivation " + kdf + " (1 is PBKDF2-HMAC-SHA256)");
        }
        long iterations = Integer.toUnsignedLong(header.getInt(10));
        if (iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS) {
            throw new InvalidBackupException(PLACE, "PBKDF2 iteration count " + iterations + " is outside "
                    + MIN_ITERATIONS + ".." + MAX_ITERATIONS + "; refusing a damaged or hostile file");
        }
        long segmentSize = Integer.toUnsignedLong(header.getInt(30));
        if (segmentSize < MIN_SEGMENT_SIZE || segmentSize > MAX_SEGMENT_SIZE) {
            throw new InvalidBackupException(PLACE, "segment size " + segmentSize + " is outside " + MIN_SEGMENT_SIZE
                    + ".." + MAX_SEGMENT_SIZE + "; refusing a damaged or hostile file");
        }
        return new EncryptionHeader((int) iterations, Arrays.copyOfRange(bytes, 14, 30), (int) segmentSize,
                Arrays.copyOfRange(bytes, 34, 41), Arrays.copyOfRange(bytes, 41, LENGTH));
    }

    /** The 57 bytes as written. */
    public byte[] bytes() {
        ByteBuffer header = ByteBuffer.allocate(LENGTH);
        header.put(MAGIC).put((byte) VERSION).put((byte) KDF_PBKDF2_HMAC_SHA256).putInt(iterations).put(salt)
                .putInt(segmentSize).put(noncePrefix).put(keyCheck);
        return header.array();
    }

    /** The bytes the key check covers. */
    public byte[] checkedBytes() {
        return Arrays.copyOf(bytes(), CHECKED_LENGTH);
    }

    /** Whether a key derived for the other header fits this one: same salt and iterations. */
    public boolean sameKeyDerivation(EncryptionHeader other) {
        return other != null && iterations == other.iterations && Arrays.equals(salt, other.salt);
    }

    @Override
    public byte[] salt() {
        return salt.clone();
    }

    @Override
    public byte[] noncePrefix() {
        return noncePrefix.clone();
    }

    @Override
    public byte[] keyCheck() {
        return keyCheck.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof EncryptionHeader header && Arrays.equals(bytes(), header.bytes());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes());
    }

    @Override
    public String toString() {
        return "EncryptionHeader[PBKDF2-HMAC-SHA256 " + iterations + " iterations, segments of " + segmentSize + " bytes]";
    }

    private static void checkIterations(int iterations) {
        if (iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException("PBKDF2 iterations must be " + MIN_ITERATIONS + ".." + MAX_ITERATIONS
                    + ", not " + iterations);
        }
    }

    private static void checkSegmentSize(int segmentSize) {
        if (segmentSize < MIN_SEGMENT_SIZE || segmentSize > MAX_SEGMENT_SIZE) {
            throw new IllegalArgumentException("segment size must be " + MIN_SEGMENT_SIZE + ".." + MAX_SEGMENT_SIZE
                    + ", not " + segmentSize);
        }
    }
}
