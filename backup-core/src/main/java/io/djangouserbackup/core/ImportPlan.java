package io.djangouserbackup.core;

import io.djangouserbackup.model.BackupHeader;
import java.util.List;
import java.util.Map;

/**
 * What an import would do, worked out without writing: the backup was checked whole against the target.
 *
 * @param header   the backup's header
 * @param mode     the mode the plan was made for
 * @param sections section name to its counts, in document order
 * @param notes    things worth knowing that are not failures
 */
public record ImportPlan(BackupHeader header, ImportMode mode, Map<String, SectionCounts> sections, List<String> notes) {

    public ImportPlan {
        sections = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(sections));
        notes = List.copyOf(notes);
    }

    /** The counts of one section, all zero when the backup has no such section. */
    public SectionCounts section(String name) {
        return sections.getOrDefault(name, new SectionCounts(0, 0, 0, 0, 0));
    }
}
