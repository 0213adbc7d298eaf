package io.djangouserbackup.core;

import io.djangouserbackup.model.BackupHeader;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What changed between two backups ({@link Differ#diff(BackupSource, BackupSource)}).
 *
 * @param older    the older backup's header
 * @param newer    the newer backup's header
 * @param sections per section (the newer backup's in its order, then those only the older one has): {@code rows}
 *                 in the newer backup, {@code created}, {@code updated}, {@code skipped} (rows equal in both) and
 *                 {@code removed}
 * @param changes  every row created, updated or removed, section by section (the newer backup's rows in document
 *                 order, then the rows only the older one has); never the unchanged ones
 */
public record DiffResult(BackupHeader older, BackupHeader newer, Map<String, SectionCounts> sections,
                         List<RowChange> changes) {

    public DiffResult {
        sections = Collections.unmodifiableMap(new LinkedHashMap<>(sections));
        changes = List.copyOf(changes);
    }

    /** Whether both backups hold the same rows with the same values (their headers, e.g. export dates, may differ). */
    public boolean identical() {
        return changes.isEmpty();
    }

    /** How many rows of the section get the change ({@code UNCHANGED}: rows equal in both backups). */
    public long count(String section, RowChange.Change change) {
        SectionCounts counts = sections.get(section);
        if (counts == null) {
            return 0;
        }
        return switch (change) {
            case CREATED -> counts.created();
            case UPDATED -> counts.updated();
            case UNCHANGED -> counts.skipped();
            case REMOVED -> counts.removed();
        };
    }
}
