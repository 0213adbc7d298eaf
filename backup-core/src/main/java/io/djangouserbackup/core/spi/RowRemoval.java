package io.djangouserbackup.core.spi;

import io.djangouserbackup.core.DatabaseAccessException;
import io.djangouserbackup.core.IncompatibleDatabaseException;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;

/**
 * Removes rows of one table by primary key, as Django deletes them: first their rows in many-to-many link tables
 * (a table of an {@code id} and two foreign keys), then the rows. A replace import removes sections in reverse
 * dependency order, so rows that point at a row are gone before it is. A row another table still points at makes
 * the import fail, naming the tables, and everything is rolled back (MySQL refuses the delete at once, the other
 * engines at commit).
 *
 * <pre>{@code
 * RowRemoval.remove(context, table, "id", absentIds, writes);   // in SectionRun.beforeWrite
 * }</pre>
 */
public final class RowRemoval {
    private RowRemoval() {
    }

    /** Removes the rows whose {@code keyColumn} is one of {@code keys}, with their links, through the batch. */
    public static void remove(MapperContext context, Table table, String keyColumn, Collection<?> keys, BatchedWrites writes) {
        if (keys.isEmpty()) {
            return;
        }
        Dialect d = context.dialect();
        List<Table> linkTables = context.schema().referencing(table.name()).stream()
                .filter(SchemaCatalog::isLinkTable).toList();
        try {
            for (Object key : keys) {
                for (Table link : linkTables) {
                    String column = link.foreignKeysTo(table.name()).get(0).column();
                    writes.add("DELETE FROM " + d.quote(link.name()) + " WHERE " + d.quote(column) + " = ?", key);
                }
                writes.add("DELETE FROM " + d.quote(table.name()) + " WHERE " + d.quote(keyColumn) + " = ?", key);
                writes.maybeFlush();
            }
            writes.flush();
        } catch (SQLException e) {
            List<String> broken = d.brokenReferences(context.handle().orElseThrow().getConnection(), e);
            if (!broken.isEmpty()) {
                throw new IncompatibleDatabaseException("table " + table.name() + ": nothing was imported: rows of other tables"
                        + " would point at rows that are gone (" + String.join(", ", broken) + "); merge instead, or remove"
                        + " those rows first");
            }
            throw new DatabaseAccessException("table " + table.name() + ": removing rows not in the backup failed: " + e.getMessage(), e);
        }
    }
}
