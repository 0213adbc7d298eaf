package io.djangouserbackup.core.spi;

import io.djangouserbackup.model.Row;
import java.util.Collection;
import java.util.function.Consumer;

/**
 * One mapper at work on one export, import or verification. An import calls, in order: {@link #check} for
 * every row (nothing is written yet; throw {@code InvalidBackupException} or
 * {@code IncompatibleDatabaseException} to refuse the backup), {@link #absentRows()}, then inside the
 * transaction {@link #beforeWrite()} of every section, then section by section {@link #write} for every row and
 * {@link #afterWrite()}.
 * A verification calls only {@link #check}, with no database.
 */
public interface SectionRun {

    /**
     * The table whose columns an export writes as the rows' fields, as the source database declares it, or
     * {@code null} when the section is not one table's rows (permissions are natural keys). A backup describes it in
     * its header, so that an import can tell whether the target can hold every column's values.
     */
    default Table sourceTable() {
        return null;
    }

    /** Streams the section's rows in a stable order (by id or natural key), one at a time. */
    void exportRows(Consumer<Row> sink);

    /**
     * The key an import matches this row of the backup to a row of the target by, as {@link #exportRows(Collection,
     * Consumer)} takes it: by default the row's {@code id}. A section keyed otherwise (a group by its {@code name}, a
     * profile by its {@code user_id}) says so here; {@code null} leaves the row uncompared, counted as an update.
     */
    default Object matchKey(Row row) {
        return row.get("id");
    }

    /**
     * Streams the target's rows that have the given keys, as {@link #exportRows(Consumer)} writes them, in any
     * order: an import's plan compares the backup with the target a batch of rows at a time, so that it holds
     * neither whole. The keys are {@link #matchKey(Row)}'s. The default streams every row of the section and leaves the
     * caller to pick; a mapper of a large table answers with one query per batch.
     */
    default void exportRows(Collection<?> keys, Consumer<Row> sink) {
        exportRows(sink);
    }

    /**
     * Checks one row of the backup and records the keys other sections may refer to.
     *
     * @param place the row's place, e.g. {@code users[17]}; field places are {@code place + "." + field}
     * @return what writing the row would do, or {@link RowAction#SKIP} when there is no database to ask
     */
    RowAction check(Row row, String place);

    /**
     * After every row was checked: how many rows of the target the backup does not hold. In replace mode they
     * are removed; throw {@code IncompatibleDatabaseException} here if removing them would break other tables.
     */
    default long absentRows() {
        return 0;
    }

    /** Inside the import transaction, before the first row: in replace mode, removes the absent rows. */
    default void beforeWrite() {
    }

    /** Writes one row, already checked, inside the import transaction. */
    void write(Row row, String place);

    /**
     * After the section's last row, before the next section is written: flushes what was batched, so that rows of
     * later sections may point at this one's even where foreign keys are checked at each statement (MySQL).
     */
    default void afterWrite() {
    }
}
