package io.djangouserbackup.core.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The two keys of an encrypted backup, derived from the passphrase once (600,000 PBKDF2 iterations take a
 * noticeable fraction of a second, so a source read twice keeps them):
 *
 * <pre>
 * master    = PBKDF2-HMAC-SHA256(UTF-8(passphrase), salt, iterations, 32 bytes)
 * key       = HKDF-Expand(master, "django-user-backup v1 segment key", 32) = HMAC-SHA256(master, info || 0x01)
 * check key = HKDF-Expand(master, "django-user-backup v1 key check", 32)
 * </pre>
 *
 * The master key is uniformly random already, so HKDF's extract step is left out (RFC 5869, section 3.3).
 */
public final class EncryptionKeys {
    static final byte[] SEGMENT_KEY_INFO = "django-user-backup v1 segment key".getBytes(StandardCharsets.US_ASCII);
    static final byte[] KEY_CHECK_INFO = "django-user-backup v1 key check".getBytes(StandardCharsets.US_ASCII);

    private final SecretKeySpec segmentKey;
    private final byte[] checkKey;

    private EncryptionKeys(byte[] segmentKey, byte[] checkKey) {
        this.segmentKey = new SecretKeySpec(segmentKey, "AES");
        this.checkKey = checkKey;
    }

    /** Derives the keys; the JDK's PBKDF2 encodes the passphrase as UTF-8. The passphrase is not kept. */
    public static EncryptionKeys derive(char[] passphrase, byte[] salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(passphrase, salt, iterations, 256);
        byte[] master = null;
        try {
            master = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
            byte[] segmentKey = expand(master, SEGMENT_KEY_INFO);
            try {
                return new EncryptionKeys(segmentKey, expand(master, KEY_CHECK_INFO));
            } finally {
                Arrays.fill(segmentKey, (byte) 0);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java 17 runtime has PBKDF2WithHmacSHA256 and HmacSHA256", e);
        } finally {
            spec.clearPassword();
            if (master != null) {
                Arrays.fill(master, (byte) 0);
            }
        }
    }

    /** HKDF-Expand for one block of output (32 bytes). */
    private static byte[] expand(byte[] pseudoRandomKey, byte[] info) throws GeneralSecurityException {
        Mac hmac = Mac.getInstance("HmacSHA256");
        hmac.init(new SecretKeySpec(pseudoRandomKey, "HmacSHA256"));
        hmac.update(info);
        hmac.update((byte) 1);
        return hmac.doFinal();
    }

    /** The AES-256 key that seals every segment. */
    SecretKeySpec segmentKey() {
        return segmentKey;
    }

    /** The first 16 bytes of HMAC-SHA256(check key, the header's first 41 bytes). */
    byte[] keyCheck(byte[] checkedHeader) {
        try {
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(new SecretKeySpec(checkKey, "HmacSHA256"));
            return Arrays.copyOf(hmac.doFinal(checkedHeader), EncryptionHeader.KEY_CHECK_LENGTH);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java 17 runtime has HmacSHA256", e);
        }
    }

    /** Whether these keys are the ones the header was written with (constant time). */
    public boolean fit(EncryptionHeader header) {
        return MessageDigest.isEqual(keyCheck(header.checkedBytes()), header.keyCheck());
    }
}
