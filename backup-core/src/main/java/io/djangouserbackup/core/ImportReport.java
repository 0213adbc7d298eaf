package io.djangouserbackup.core;

import java.util.List;

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

    /** How many rows of the section get the change. */
    public long count(String section, RowChange.Change change) {
        return rows.stream().filter(r -> r.section().equals(section) && r.change() == change).count();
    }
}
