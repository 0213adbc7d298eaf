package io.djangouserbackup.core.internal;

/**
 * How a report (a dry run's, a diff's) names a row's key and shows it, from the section's key column: the primary
 * key of a table added with {@code export --table} (a profile's {@code user_id}, a token's {@code key}), or
 * {@code null} for the built-in sections, keyed by id (a group by its name). The dry run knows the column from the
 * section's mapper, a diff from the backup's header; both say the same here.
 */
public final class ReportedKeys {
    private ReportedKeys() {
    }

    /** The column a report names the key by: the key column, else {@code id} for a number, else none (a name). */
    public static String name(String keyColumn, Object key) {
        if (keyColumn != null) {
            return keyColumn;
        }
        return key instanceof Number ? "id" : null;
    }

    /**
     * The key as a report shows it. A text key of an added table may be a secret (authtoken's key is the token
     * itself), so it is shown as the start of its SHA-256, enough to tell rows apart, never the value.
     */
    public static Object shown(String keyColumn, Object key) {
        if (keyColumn != null && key instanceof String text) {
            return ContentDigest.shortened(text);
        }
        return key;
    }
}
