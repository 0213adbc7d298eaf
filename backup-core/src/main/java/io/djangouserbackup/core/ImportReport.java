package io.djangouserbackup.core;

import java.util.List;

/**
 * A dry run's full answer: the plan's counts, and what would happen to each user, group and OpenAI model.
 *
 * @param plan the counts, as {@link Importer#plan(BackupSource)} gives them (the rows' changes, counted; permissions,
 *             which are not listed row by row, created or unchanged)
 * @param rows one entry per row of the backup's users, groups and models (and of added sections), in document
 *             order, followed in each section by the target's rows that replace mode removes
 */
public record ImportReport(ImportPlan plan, List<RowChange> rows) {

    public ImportReport {
        rows = List.copyOf(rows);
    }

    /**
     * The plan. Its counts come from the same comparison as the rows, so they agree with them.
     *
     * @deprecated the plan is exact: use {@link #plan()} (this was needed while a plan counted every row the target
     *             had as an update)
     */
    @Deprecated
    public ImportPlan exactPlan() {
        return plan;
    }

    /** How many rows of the section get the change. */
    public long count(String section, RowChange.Change change) {
        return rows.stream().filter(r -> r.section().equals(section) && r.change() == change).count();
    }
}
