package io.djangouserbackup.core.spi;

import io.djangouserbackup.core.DatabaseAccessException;
import io.djangouserbackup.core.IncompatibleDatabaseException;
import io.djangouserbackup.core.InvalidBackupException;
import io.djangouserbackup.model.Row;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * The check of a table's unique columns other than its primary key (an e-mail address, a token's user): two rows
 * of the backup with one value are refused, and so is a backup row whose value a different target row holds,
 * naming both rows, in the check pass, before anything is written. A target row that the import removes (replace
 * mode) does not count. A {@code null} is never a collision.
 *
 * <pre>{@code
 * UniqueValues unique = UniqueValues.of(context, table, "id");
 * unique.add(row, key, place);                                   // for each checked row
 * unique.judge(removed::contains);                              // once every row was checked
 * }</pre>
 */
public final class UniqueValues {
    private final MapperContext context;
    private final Table table;
    private final String keyColumn;
    private final List<String> columns;
    private final Map<String, Map<Object, String>> placesByValue = new HashMap<>();
    private final Map<String, PreparedStatement> lookups = new HashMap<>();
    private final List<Clash> clashes = new ArrayList<>();

    private record Clash(String place, String column, Object value, Object backupKey, Object targetKey) {
    }

    private UniqueValues(MapperContext context, Table table, String keyColumn, List<String> columns) {
        this.context = context;
        this.table = table;
        this.keyColumn = keyColumn;
        this.columns = List.copyOf(columns);
    }

    /** The check of every one-column unique index of the table other than on {@code keyColumn}. */
    public static UniqueValues of(MapperContext context, Table table, String keyColumn) {
        return new UniqueValues(context, table, keyColumn, uniqueColumns(context, table, keyColumn));
    }

    /** The columns checked. */
    public List<String> columns() {
        return columns;
    }

    /** The columns of the table's one-column unique indexes, other than {@code keyColumn}, in table order. */
    public static List<String> uniqueColumns(MapperContext context, Table table, String keyColumn) {
        Map<String, List<String>> byIndex = new LinkedHashMap<>();
        try {
            Connection connection = context.handle().orElseThrow().getConnection();
            DatabaseMetaData meta = connection.getMetaData();
            String schema = context.dialect().name().equals("postgresql") ? connection.getSchema() : null;
            try (ResultSet rs = meta.getIndexInfo(connection.getCatalog(), schema, table.name(), true, false)) {
                while (rs.next()) {
                    String index = rs.getString("INDEX_NAME");
                    String column = rs.getString("COLUMN_NAME");
                    if (index != null && column != null && !rs.getBoolean("NON_UNIQUE")) {
                        byIndex.computeIfAbsent(index, i -> new ArrayList<>()).add(column);
                    }
                }
            }
        } catch (SQLException e) {
            throw new DatabaseAccessException("table " + table.name() + ": reading its unique indexes failed: " + e.getMessage(), e);
        }
        List<String> unique = new ArrayList<>();
        for (Column column : table.columns()) {
            boolean alone = byIndex.values().stream().anyMatch(c -> c.size() == 1 && c.get(0).equalsIgnoreCase(column.name()));
            if (alone && !column.name().equals(keyColumn) && !column.primaryKey()) {
                unique.add(column.name());
            }
        }
        return unique;
    }

    /**
     * Adds a checked backup row: refuses at once a value another row of the backup has, and notes a target row
     * that holds the value under another key.
     *
     * @param value a function from column to the value to look up in the target (the row's, or the target form
     *              of a reference)
     */
    public void add(Row row, Object key, String place, java.util.function.BiFunction<String, Object, Object> value) {
        for (String column : columns) {
            Object documentValue = row.get(column);
            if (documentValue == null) {
                continue;
            }
            String earlier = placesByValue.computeIfAbsent(column, c -> new HashMap<>()).putIfAbsent(documentValue, place);
            if (earlier != null) {
                throw new InvalidBackupException(place + "." + column, "'" + documentValue + "' is also the " + column + " of "
                        + earlier + ", and " + table.name() + "." + column + " is unique");
            }
            if (context.handle().isEmpty()) {
                continue;
            }
            Object targetKey = targetKey(column, value.apply(column, documentValue));
            if (targetKey != null && !Objects.equals(targetKey, key)) {
                clashes.add(new Clash(place, column, documentValue, key, targetKey));
            }
        }
    }

    private Object targetKey(String column, Object targetValue) {
        Dialect d = context.dialect();
        try {
            PreparedStatement lookup = lookups.get(column);
            if (lookup == null) {
                lookup = context.handle().orElseThrow().getConnection().prepareStatement("SELECT " + d.quote(keyColumn) + " FROM "
                        + d.quote(table.name()) + " WHERE " + d.quote(column) + " = ?");
                lookups.put(column, lookup);
            }
            lookup.setObject(1, targetValue);
            try (ResultSet rs = lookup.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                return d.read(rs, 1, table.column(keyColumn).orElseThrow());
            }
        } catch (SQLException e) {
            throw new DatabaseAccessException("table " + table.name() + ": looking up " + column + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Once every row was checked: refuses the first backup row whose unique value a different target row holds,
     * unless the import removes that target row or the backup moves it to another value.
     *
     * @param removed whether the import removes the target row with this key
     * @throws IncompatibleDatabaseException naming both rows
     */
    public void judge(Predicate<Object> removed) {
        close();
        for (Clash clash : clashes) {
            if (!removed.test(clash.targetKey())) {
                throw new IncompatibleDatabaseException(clash.place() + "." + clash.column() + ": '" + clash.value() + "' belongs to "
                        + table.name() + " row " + keyColumn + " " + clash.targetKey() + " in the target database, but to "
                        + keyColumn + " " + clash.backupKey() + " in the backup; " + table.name() + "." + clash.column()
                        + " is unique, so the target cannot hold both; change one of them first");
            }
        }
    }

    private void close() {
        for (PreparedStatement statement : lookups.values()) {
            try {
                statement.close();
            } catch (SQLException ignored) {
                // A lookup: closing it cannot lose data.
            }
        }
        lookups.clear();
    }
}
