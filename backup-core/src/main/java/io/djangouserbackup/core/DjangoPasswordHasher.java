package io.djangouserbackup.core;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

/**
 * Hashes passwords exactly as Django's default {@code PBKDF2PasswordHasher} does, so that a user written by Java
 * logs in to the real Django application: {@code pbkdf2_sha256$<iterations>$<salt>$<base64 hash>}, a 22-character
 * salt from Django's {@code RANDOM_STRING_CHARS} (128 bits, as Django 3.2 and later draw it), a 32-byte
 * PBKDF2-HMAC-SHA256 of the password's UTF-8 bytes. Immutable and thread-safe.
 *
 * <pre>{@code
 * String encoded = DjangoPasswordHasher.newest().hash("s3cret");            // Django 5.2: 1,000,000 iterations
 * String for42 = DjangoPasswordHasher.forDjango("4.2").hash("s3cret");      // 600,000 iterations
 * boolean ok = DjangoPasswordHasher.newest().verify("s3cret", encoded);    // true
 * String unusable = DjangoPasswordHasher.newest().unusable();              // "!" + 40 random characters
 * }</pre>
 *
 * <p>Django verifies a PBKDF2 hash of any iteration count (it reads the count from the hash) and upgrades it to its
 * own count on the next successful login, so a hash for an older release is accepted by a newer one. Hashing at a
 * million iterations takes about a second of CPU; fixtures with many users can name an older release or a lower
 * count with {@link #withIterations(int)}.
 */
public final class DjangoPasswordHasher {

    /** Django's algorithm name for this hasher. */
    public static final String ALGORITHM = "pbkdf2_sha256";

    /** Django's {@code RANDOM_STRING_CHARS}. */
    private static final String RANDOM_STRING_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    /** {@code ceil(128 / log2(62))}: Django's {@code salt_entropy = 128} spelled in {@code RANDOM_STRING_CHARS}. */
    private static final int SALT_LENGTH = 22;
    private static final int HASH_BYTES = 32;

    /** {@code PBKDF2PasswordHasher.iterations} of each Django release, oldest first. */
    private static final Map<String, Integer> ITERATIONS_BY_RELEASE = releases();

    private static final SecureRandom SECURE_RANDOM = new SecureRandom();

    private final int iterations;
    private final Random random;

    private DjangoPasswordHasher(int iterations, Random random) {
        this.iterations = iterations;
        this.random = random;
    }

    private static Map<String, Integer> releases() {
        Map<String, Integer> releases = new LinkedHashMap<>();
        releases.put("3.2", 260_000);
        releases.put("4.0", 320_000);
        releases.put("4.1", 390_000);
        releases.put("4.2", 600_000);
        releases.put("5.0", 720_000);
        releases.put("5.1", 870_000);
        releases.put("5.2", 1_000_000);
        return java.util.Collections.unmodifiableMap(releases);
    }

    /** The Django releases this class knows the iteration count of, oldest first ({@code 3.2} to {@code 5.2}). */
    public static java.util.Set<String> knownReleases() {
        return ITERATIONS_BY_RELEASE.keySet();
    }

    /** The hasher of the newest Django release known here ({@code 5.2}: 1,000,000 iterations). */
    public static DjangoPasswordHasher newest() {
        return new DjangoPasswordHasher(ITERATIONS_BY_RELEASE.get("5.2"), SECURE_RANDOM);
    }

    /**
     * The hasher with the iteration count of a Django release, {@code "3.2"} to {@code "5.2"}; a patch release
     * ({@code "4.2.11"}) counts as its feature release.
     *
     * @throws IllegalArgumentException for a release whose count is not known here
     */
    public static DjangoPasswordHasher forDjango(String release) {
        Objects.requireNonNull(release, "release");
        String[] parts = release.trim().split("\\.");
        String feature = parts.length >= 2 ? parts[0] + "." + parts[1] : release.trim();
        Integer iterations = ITERATIONS_BY_RELEASE.get(feature);
        if (iterations == null) {
            throw new IllegalArgumentException("unknown Django release " + release + "; known: "
                    + String.join(", ", ITERATIONS_BY_RELEASE.keySet()));
        }
        return new DjangoPasswordHasher(iterations, SECURE_RANDOM);
    }

    /** A copy that hashes with the given iteration count (Django verifies any count from 1 up). */
    public DjangoPasswordHasher withIterations(int iterations) {
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be at least 1: " + iterations);
        }
        return new DjangoPasswordHasher(iterations, random);
    }

    /**
     * A copy that draws salts and unusable suffixes from the given generator instead of a {@link SecureRandom}:
     * for fixtures that must come out the same on every run. Never for real users.
     */
    public DjangoPasswordHasher withRandom(Random random) {
        return new DjangoPasswordHasher(iterations, Objects.requireNonNull(random, "random"));
    }

    /** The iteration count this hasher writes. */
    public int iterations() {
        return iterations;
    }

    /** Hashes a password with a new random salt, as Django's {@code make_password(password)}. */
    public String hash(String password) {
        return hash(password, randomString(SALT_LENGTH));
    }

    /**
     * Hashes a password with the given salt.
     *
     * @throws IllegalArgumentException when the salt is empty or holds {@code $}
     */
    public String hash(String password, String salt) {
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(salt, "salt");
        if (salt.isEmpty() || salt.contains("$")) {
            throw new IllegalArgumentException("a salt must be non-empty and without '$'");
        }
        byte[] derived = pbkdf2(password.getBytes(StandardCharsets.UTF_8), salt.getBytes(StandardCharsets.UTF_8), iterations);
        return ALGORITHM + "$" + iterations + "$" + salt + "$" + Base64.getEncoder().encodeToString(derived);
    }

    /**
     * An unusable password, as Django's {@code make_password(None)} / {@code set_unusable_password()}:
     * {@code !} and 40 random characters. No password verifies against it.
     */
    public String unusable() {
        return Exporter.UNUSABLE_PASSWORD_PREFIX + randomString(Exporter.UNUSABLE_PASSWORD_SUFFIX_LENGTH);
    }

    /** Whether an encoded password is usable, as Django's {@code is_password_usable}. */
    public static boolean isUsable(String encoded) {
        return encoded == null || !encoded.startsWith(Exporter.UNUSABLE_PASSWORD_PREFIX);
    }

    /**
     * Whether the password matches a {@code pbkdf2_sha256} hash of any iteration count, compared in constant time.
     * False for unusable passwords, for null, and for hashes of other algorithms (which this class does not know).
     */
    public boolean verify(String password, String encoded) {
        if (password == null || encoded == null) {
            return false;
        }
        String[] parts = encoded.split("\\$", -1);
        if (parts.length != 4 || !ALGORITHM.equals(parts[0]) || !parts[1].matches("[1-9][0-9]{0,9}")) {
            return false;
        }
        long count = Long.parseLong(parts[1]);
        if (count > Integer.MAX_VALUE || parts[2].isEmpty()) {
            return false;
        }
        byte[] expected;
        try {
            expected = Base64.getDecoder().decode(parts[3]);
        } catch (IllegalArgumentException e) {
            return false;
        }
        byte[] derived = pbkdf2(password.getBytes(StandardCharsets.UTF_8), parts[2].getBytes(StandardCharsets.UTF_8),
                (int) count);
        return MessageDigest.isEqual(derived, expected);
    }

    /** A string of Django's {@code RANDOM_STRING_CHARS}, as {@code get_random_string}. */
    private String randomString(int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(RANDOM_STRING_CHARS.charAt(random.nextInt(RANDOM_STRING_CHARS.length())));
        }
        return text.toString();
    }

    /**
     * PBKDF2-HMAC-SHA256 of one block (32 bytes, the length Django asks for), written out rather than taken from
     * {@code SecretKeyFactory}, whose {@code char[]} password leaves the byte encoding to the provider. HMAC is
     * computed from the SHA-256 states after the padded key (RFC 2104), kept once and cloned for each iteration:
     * two compressions per iteration instead of the four of {@code Mac}, about twice as fast.
     */
    static byte[] pbkdf2(byte[] password, byte[] salt, int iterations) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            byte[] key = password.length > 64 ? sha256.digest(password) : password;
            byte[] innerPad = new byte[64];
            byte[] outerPad = new byte[64];
            for (int i = 0; i < 64; i++) {
                byte k = i < key.length ? key[i] : 0;
                innerPad[i] = (byte) (k ^ 0x36);
                outerPad[i] = (byte) (k ^ 0x5c);
            }
            MessageDigest inner = MessageDigest.getInstance("SHA-256");
            inner.update(innerPad);
            MessageDigest outer = MessageDigest.getInstance("SHA-256");
            outer.update(outerPad);

            MessageDigest first = (MessageDigest) inner.clone();
            first.update(salt);
            first.update(new byte[] {0, 0, 0, 1});
            byte[] u = hmacOuter(outer, first.digest());
            byte[] result = u.clone();
            for (int i = 1; i < iterations; i++) {
                MessageDigest step = (MessageDigest) inner.clone();
                step.update(u);
                u = hmacOuter(outer, step.digest());
                for (int j = 0; j < HASH_BYTES; j++) {
                    result[j] ^= u[j];
                }
            }
            return result;
        } catch (GeneralSecurityException | CloneNotSupportedException e) {
            throw new IllegalStateException("SHA-256 is not available or cannot be cloned", e);
        }
    }

    private static byte[] hmacOuter(MessageDigest outer, byte[] innerHash) throws CloneNotSupportedException {
        MessageDigest step = (MessageDigest) outer.clone();
        step.update(innerHash);
        return step.digest();
    }
}
