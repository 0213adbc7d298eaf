package io.djangouserbackup.core.internal;

import io.djangouserbackup.core.DatabaseAccessException;
import io.djangouserbackup.core.IncompatibleDatabaseException;
import io.djangouserbackup.core.spi.Column;
import io.djangouserbackup.core.spi.Dialect;
import io.djangouserbackup.core.spi.ForeignKey;
import io.djangouserbackup.core.spi.Table;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Before a replace writes anything: finds the rows of other tables (Django's {@code django_admin_log}, any app's
 * table with a foreign key to the user, group or OpenAI model table) that would point at rows the replace removes.
 * The database would refuse them at commit (or, on MySQL, at the delete); found in the check pass, a dry run and
 * the confirmation prompt can name them, before anyone decides.
 *
 * <p>Self-contained on purpose: it reads the target and the keys the check pass declared, and asks nothing of
 * the mappers but the tables they hold. A removed row is one whose id (for groups: whose name and id) the backup
 * does not declare, as the built-in mappers decide it. Many-to-many link tables are not other tables: a replace
 * clears their rows itself.
 */
public final class OrphanCheck {
    /** How many rows a refusal names; the rest are counted. */
    static final int NAMED = 10;
    private static final int CHUNK = 500;

    private final RunContext context;
    private final RemovedRows removedRows;
    private final Set<String> writtenTables;

    /**
     * @param removedRows   what the replace removes, worked out after the check pass
     * @param writtenTables the tables of every section the import writes (included tables too): a replace makes
     *                      their rows the backup's, and the check pass has checked what those point at
     */
    public OrphanCheck(RunContext context, RemovedRows removedRows, java.util.Collection<String> writtenTables) {
        this.context = context;
        this.removedRows = removedRows;
        this.writtenTables = new java.util.HashSet<>();
        writtenTables.forEach(t -> this.writtenTables.add(t.toLowerCase(Locale.ROOT)));
    }

    /** A row of another table that points at a removed row. */
    record Orphan(String table, String row, String column, String targetTable, long targetId, String targetName) {
        @Override
        public String toString() {
            return table + " " + row + " (" + column + ") points at " + targetTable + " id " + targetId
                    + (targetName == null ? "" : " '" + targetName + "'");
        }
    }

    /**
     * Refuses the replace when other tables' rows point at rows it removes, naming the first of them.
     *
     * @throws IncompatibleDatabaseException naming the table, the row and the row it points at
     */
    public void require() {
        List<Orphan> named = new ArrayList<>();
        long[] total = {0};
        Set<String> written = new java.util.HashSet<>(writtenTables);
        removedRows.tables().values().forEach(t -> written.add(t.toLowerCase(Locale.ROOT)));
        written.add("auth_permission");
        for (Map.Entry<String, String> entry : removedRows.tables().entrySet()) {
            String target = entry.getValue();
            List<Long> removed = removedRows.ids(entry.getKey());
            if (removed.isEmpty()) {
                continue;
            }
            for (Table other : context.schema().referencing(target)) {
                boolean linkTable = other.columns().size() == 3 && other.foreignKeys().size() == 2;
                if (linkTable || written.contains(other.name().toLowerCase(Locale.ROOT))) {
                    continue;
                }
                for (ForeignKey key : other.foreignKeysTo(target)) {
                    total[0] += find(other, key, target, removed, named);
                }
            }
        }
        if (total[0] == 0) {
            return;
        }
        StringBuilder message = new StringBuilder("a replace would remove rows that rows of other tables point at: ");
        List<String> listed = named.stream().map(Orphan::toString).toList();
        message.append(String.join("; ", listed));
        if (total[0] > named.size()) {
            message.append("; and ").append(total[0] - named.size()).append(" more");
        }
        message.append(". Nothing was written. Merge instead (those rows stay valid), or delete those rows first, or"
                + " import a backup that has what they point at");
        throw new IncompatibleDatabaseException(message.toString());
    }

    /** Adds the rows of {@code other} whose key points at a removed id (up to {@link #NAMED} in all); returns how many. */
    private long find(Table other, ForeignKey key, String target, List<Long> removed, List<Orphan> named) {
        Dialect d = context.dialect();
        Connection connection = context.handle().orElseThrow().getConnection();
        String rowColumn = other.columns().stream().filter(Column::primaryKey).map(Column::name).findFirst()
                .orElse(key.column());
        String nameColumn = removedRows.nameColumn(target);
        long found = 0;
        for (int from = 0; from < removed.size(); from += CHUNK) {
            List<Long> chunk = removed.subList(from, Math.min(removed.size(), from + CHUNK));
            String marks = String.join(", ", java.util.Collections.nCopies(chunk.size(), "?"));
            String sql = "SELECT o." + d.quote(rowColumn) + ", o." + d.quote(key.column())
                    + (nameColumn == null ? "" : ", t." + d.quote(nameColumn))
                    + " FROM " + d.quote(other.name()) + " o"
                    + (nameColumn == null ? "" : " LEFT JOIN " + d.quote(target) + " t ON t." + d.quote(key.targetColumn())
                            + " = o." + d.quote(key.column()))
                    + " WHERE o." + d.quote(key.column()) + " IN (" + marks + ") ORDER BY o." + d.quote(rowColumn);
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                for (int i = 0; i < chunk.size(); i++) {
                    statement.setLong(i + 1, chunk.get(i));
                }
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        found++;
                        if (named.size() < NAMED) {
                            String row = rowColumn.equals(key.column()) ? "row" : rowColumn + " " + rs.getString(1);
                            named.add(new Orphan(other.name(), row, key.column(), target, rs.getLong(2),
                                    nameColumn == null ? null : rs.getString(3)));
                        }
                    }
                }
            } catch (SQLException e) {
                throw new DatabaseAccessException("table " + other.name() + ": looking for rows that point at "
                        + target + " failed: " + e.getMessage(), e);
            }
        }
        return found;
    }


}
