package io.djangouserbackup.core.spi;

import io.djangouserbackup.core.internal.LongSet;
import io.djangouserbackup.core.internal.TextKeySet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The keys that sections declare and refer to during one run: a section declares its rows' keys while they are
 * checked (group names, permission keys, user ids), and later sections ask whether a reference is known. During
 * the write, a section records where each key landed in the target ({@link #resolve}).
 */
public final class References implements AutoCloseable {
    private final Map<String, Set<Object>> keys = new HashMap<>();
    private final Map<String, LongSet> ids = new HashMap<>();
    private final Map<String, Set<Object>> referenced = new HashMap<>();
    private final Map<String, Map<Object, Long>> resolved = new HashMap<>();
    private final Map<String, TextKeySet> texts = new HashMap<>();

    /**
     * Declares a text key of a set that may grow large (usernames); false when declared already. Past a few
     * thousand keys the set is kept in a temporary file rather than in memory.
     */
    public boolean declareText(String set, String key) {
        return texts.computeIfAbsent(set, s -> new TextKeySet()).add(key);
    }

    /** Whether the text key was declared. */
    public boolean isDeclaredText(String set, String key) {
        TextKeySet keys = texts.get(set);
        return keys != null && keys.contains(key);
    }

    /** Frees what the run kept, including temporary files. */
    @Override
    public void close() {
        texts.values().forEach(TextKeySet::close);
        texts.clear();
    }

    /** Declares a key; false when the section declared it already (a duplicate). */
    public boolean declare(String section, Object key) {
        return keys.computeIfAbsent(section, s -> new HashSet<>()).add(key);
    }

    /** Whether the section declared the key. */
    public boolean isDeclared(String section, Object key) {
        return keys.getOrDefault(section, Set.of()).contains(key);
    }

    /** Declares a numeric id; false when the section declared it already. Kept compactly for large sections. */
    public boolean declareId(String section, long id) {
        return ids.computeIfAbsent(section, s -> new LongSet()).add(id);
    }

    /** Whether the section declared the id. */
    public boolean isDeclaredId(String section, long id) {
        LongSet set = ids.get(section);
        return set != null && set.contains(id);
    }

    /** Notes that some row refers to the key of another section. */
    public void markReferenced(String section, Object key) {
        referenced.computeIfAbsent(section, s -> new HashSet<>()).add(key);
    }

    /** Whether any row referred to the key. */
    public boolean isReferenced(String section, Object key) {
        return referenced.getOrDefault(section, Set.of()).contains(key);
    }

    /** Records the target's id for a key of the backup. */
    public void resolve(String section, Object key, long targetId) {
        resolved.computeIfAbsent(section, s -> new HashMap<>()).put(key, targetId);
    }

    /** The target's id for a key, or {@code null} when not resolved. */
    public Long resolved(String section, Object key) {
        return resolved.getOrDefault(section, Map.of()).get(key);
    }
}
