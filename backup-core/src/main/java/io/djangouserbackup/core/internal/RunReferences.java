package io.djangouserbackup.core.internal;

import io.djangouserbackup.core.spi.References;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** The {@link References} of one run; the run closes it, which frees temporary key files. */
public final class RunReferences implements References, AutoCloseable {
    private final Map<String, Set<Object>> keys = new HashMap<>();
    private final Map<String, LongSet> ids = new HashMap<>();
    private final Map<String, Set<Object>> referenced = new HashMap<>();
    private final Map<String, Map<Object, Long>> resolved = new HashMap<>();
    private final Map<String, TextKeySet> texts = new HashMap<>();

    @Override
    public boolean declareText(String set, String key) {
        return texts.computeIfAbsent(set, s -> new TextKeySet()).add(key);
    }

    @Override
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

    @Override
    public boolean declare(String section, Object key) {
        return keys.computeIfAbsent(section, s -> new HashSet<>()).add(key);
    }

    @Override
    public boolean isDeclared(String section, Object key) {
        return keys.getOrDefault(section, Set.of()).contains(key);
    }

    @Override
    public boolean declareId(String section, long id) {
        return ids.computeIfAbsent(section, s -> new LongSet()).add(id);
    }

    @Override
    public boolean isDeclaredId(String section, long id) {
        LongSet set = ids.get(section);
        return set != null && set.contains(id);
    }

    @Override
    public void markReferenced(String section, Object key) {
        referenced.computeIfAbsent(section, s -> new HashSet<>()).add(key);
    }

    @Override
    public boolean isReferenced(String section, Object key) {
        return referenced.getOrDefault(section, Set.of()).contains(key);
    }

    @Override
    public void resolve(String section, Object key, long targetId) {
        resolved.computeIfAbsent(section, s -> new HashMap<>()).put(key, targetId);
    }

    @Override
    public Long resolved(String section, Object key) {
        return resolved.getOrDefault(section, Map.of()).get(key);
    }
}
