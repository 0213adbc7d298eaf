package io.djangouserbackup.core;

import java.util.List;
import java.util.Map;

/**
 * What an import did; it was committed as one transaction.
 *
 * @param sections section name to its counts
 * @param notes    things worth knowing that are not failures
 */
public record ImportResult(Map<String, SectionCounts> sections, List<String> notes) {

    public ImportResult {
        sections = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(sections));
        notes = List.copyOf(notes);
    }

    /** The counts of one section, all zero when the backup has no such section. */
    public SectionCounts section(String name) {
        return sections.getOrDefault(name, new SectionCounts(0, 0, 0, 0, 0));
    }
}
