package io.djangouserbackup.core;

import io.djangouserbackup.core.internal.ContentDigest;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The digest every backup carries: its last top-level field, {@code "sha256"}, is the SHA-256 (lower-case
 * hexadecimal) of every byte of the uncompressed document from its first byte up to the end of the value that
 * precedes that field (the {@code ]} closing the last section), so truncation or any change is detected.
 * {@link Exporter} writes it; {@link Verifier} and {@link Importer} refuse a backup whose digest is wrong or
 * missing.
 *
 * <p>For documents written by hand, e.g. test fixtures, {@link #seal(String)} adds the digest:
 *
 * <pre>{@code
 * String fixture = BackupDigest.seal("""
 *         {"format_version": 1, "export_date": "2026-01-01T00:00:00Z",
 *          "permissions": [], "groups": [], "users": [], "openai_models": []}
 *         """);
 * }</pre>
 */
public final class BackupDigest {
    private static final Pattern CARRIED = Pattern.compile(",\\s*\"sha256\"\\s*:\\s*\"[^\"]*\"\\s*\\}\\s*\\z");
    private static final Pattern CLOSING = Pattern.compile("\\s*\\}\\s*\\z");

    private BackupDigest() {
    }

    /**
     * Returns the document with its digest as the last field, replacing a digest it already carries there.
     *
     * @throws IllegalArgumentException when the text does not end with the {@code }} of a JSON object
     */
    public static String seal(String document) {
        Matcher carried = CARRIED.matcher(document);
        Matcher closing = CLOSING.matcher(document);
        String content;
        if (carried.find()) {
            content = document.substring(0, carried.start());
        } else if (closing.find()) {
            content = document.substring(0, closing.start());
        } else {
            throw new IllegalArgumentException("a backup document ends with the } of its object");
        }
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        String digest = ContentDigest.hex(ContentDigest.newSha256().digest(bytes));
        return content + ",\n  \"sha256\": \"" + digest + "\"\n}\n";
    }

    /** {@link #seal(String)} for UTF-8 bytes. */
    public static byte[] seal(byte[] document) {
        return seal(new String(document, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
    }
}
