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
 * @param removed  replace mode: per section, the first {@value #REMOVED_NAMED} rows of the target that the import
 *                 removes (their number is the section's {@link SectionCounts#removed()}), so that whoever confirms
 *                 knows who goes; empty in merge mode
 */
public record ImportPlan(BackupHeader header, ImportMode mode, Map<String, SectionCounts> sections, List<String> notes,
                         Map<String, List<RowChange>> removed) {
    /** How many removed rows per section a plan names. */
    public static final int REMOVED_NAMED = 20;

    public ImportPlan {
        sections = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(sections));
        notes = List.copyOf(notes);
        java.util.Map<String, List<RowChange>> copy = new java.util.LinkedHashMap<>();
        removed.forEach((section, rows) -> copy.put(section, List.copyOf(rows)));
        removed = java.util.Collections.unmodifiableMap(copy);
    }

    /** A plan that names no removed rows. */
    public ImportPlan(BackupHeader header, ImportMode mode, Map<String, SectionCounts> sections, List<String> notes) {
        this(header, mode, sections, notes, Map.of());
    }

    /** The counts of one section, all zero when the backup has no such section. */
    public SectionCounts section(String name) {
        return sections.getOrDefault(name, new SectionCounts(0, 0, 0, 0, 0));
    }
}
