package io.djangouserbackup.core.spi;

/**
 * The keys that sections declare and refer to during one run, shared by all mappers of the run: a section
 * declares its rows' keys while they are checked (group names, permission keys, user ids, the primary keys of an
 * included table), and later sections ask whether a reference is known. During the write, a section records where
 * each key landed in the target ({@link #resolve}), and later sections ask for it ({@link #resolved}).
 *
 * <p>The run owns the keys and frees them when it ends; a mapper can neither close them nor reach another run's.
 *
 * <pre>{@code
 * // in a SectionRun.check of a section that refers to users:
 * if (!context.references().isDeclaredId(Sections.USERS, userId)) {
 *     throw new InvalidBackupException(place + ".user_id", "user " + userId + " is not in the backup's users");
 * }
 * }</pre>
 */
public interface References {

    /**
     * Declares a text key of a set that may grow large (usernames); false when declared already. Past a few
     * thousand keys the set is kept in a temporary file rather than in memory.
     */
    boolean declareText(String set, String key);

    /** Whether the text key was declared. */
    boolean isDeclaredText(String set, String key);

    /** Declares a key; false when the section declared it already (a duplicate). */
    boolean declare(String section, Object key);

    /** Whether the section declared the key. */
    boolean isDeclared(String section, Object key);

    /** Declares a numeric id; false when the section declared it already. Kept compactly for large sections. */
    boolean declareId(String section, long id);

    /** Whether the section declared the id. */
    boolean isDeclaredId(String section, long id);

    /** Notes that some row refers to the key of another section. */
    void markReferenced(String section, Object key);

    /** Whether any row referred to the key. */
    boolean isReferenced(String section, Object key);

    /** Records the target's id for a key of the backup. */
    void resolve(String section, Object key, long targetId);

    /** The target's id for a key, or {@code null} when not resolved. */
    Long resolved(String section, Object key);
}
