package io.djangouserbackup.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A whole backup held in memory: a header and its sections in document order.
 *
 * <p>Handy for fixtures and tests; the library itself streams large backups row by row and never builds one
 * of these unless asked to.
 *
 * @param header   the top-level fields
 * @param sections section name to its rows, in document order
 */
public record BackupDocument(BackupHeader header, Map<String, List<Row>> sections) {

    public BackupDocument {
        Objects.requireNonNull(header, "header");
        LinkedHashMap<String, List<Row>> copy = new LinkedHashMap<>();
        sections.forEach((name, rows) -> copy.put(name, List.copyOf(rows)));
        sections = Collections.unmodifiableMap(copy);
    }

    /** The rows of a section, empty when the document has no such section. */
    public List<Row> section(String name) {
        return sections.getOrDefault(name, List.of());
    }

    /** A copy with one section replaced (or added at the end). */
    public BackupDocument withSection(String name, List<Row> rows) {
        LinkedHashMap<String, List<Row>> copy = new LinkedHashMap<>(sections);
        copy.put(name, new ArrayList<>(rows));
        return new BackupDocument(header, copy);
    }
}
