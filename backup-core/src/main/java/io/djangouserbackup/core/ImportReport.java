package io.djangouserbackup.core;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A dry run's full answer: the plan's counts, and what would happen to each user, group and OpenAI model.
 *
 * @param plan the counts, as {@link Importer#plan(BackupSource)} gives them
 * @param rows one entry per row of the backup's users, groups and models (and of added sections), in document
 *             order, followed in each section by the target's rows that replace mode removes
 */
public record ImportReport(ImportPlan plan, List<RowChange> rows) {

    public ImportReport {
        rows = List.copyOf(rows);
    }

    /**
     * The plan's counts made exact by the rows: for the sections listed row by row, {@code updated} counts only
     * rows whose values change and {@code skipped} the unchanged ones (a plan counts every row the target has as
     * an update). Permissions keep the plan's counts.
     */
    public ImportPlan exactPlan() {
        Map<String, SectionCounts> sections = new LinkedHashMap<>();
        for (Map.Entry<String, SectionCounts> section : plan.sections().entrySet()) {
            String name = section.getKey();
            boolean listed = rows.stream().anyMatch(r -> r.section().equals(name));
            sections.put(name, listed
                    ? new SectionCounts(section.getValue().rows(), count(name, RowChange.Change.CREATED),
                            count(name, RowChange.Change.UPDATED), count(name, RowChange.Change.UNCHANGED),
                            count(name, RowChange.Change.REMOVED))
                    : section.getValue());
        }
        return new ImportPlan(plan.header(), plan.mode(), sections, plan.notes(), plan.removed());
    }

    /** How many rows of the section get the change. */
    public long count(String section, RowChange.Change change) {
        return rows.stream().filter(r -> r.section().equals(section) && r.change() == change).count();
    }
}
