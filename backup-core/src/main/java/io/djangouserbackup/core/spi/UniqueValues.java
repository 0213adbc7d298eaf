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
import java.util.function.BiFunction;
import java.util.function.Predicate;

/**
 * The check of a table's unique indexes other than its primary key: one column (an e-mail address, a token's
 * user) or several (guardian's user, permission and object). Two rows of the backup with the same values are
 * refused, and so is a backup row whose values a different target row holds, naming both rows, in the check pass,
 * before anything is written. A unique text column is compared as the target compares it ({@link UniqueText}): on
 * MySQL and MariaDB, whose collations ignore case, {@code Alice@example.com} and {@code alice@example.com} are one
 * value, in the backup and against the target's rows. A target row that the import removes (replace mode) does not count. A {@code null}
 * among the values is never a collision, as in SQL.
 *
 * <pre>{@code
 * UniqueValues unique = UniqueValues.of(context, table, "id");
 * unique.add(row, key, place, (column, value) -> value);         // for each checked row
 * unique.judge(removed::contains);                              // once every row was checked
 * }</pre>
 */
public final class UniqueValues {
    private final MapperContext context;
    private final Table table;
    private final String keyColumn;
    private final List<List<String>> indexes;
    private final Map<List<String>, Map<List<Object>, String>> placesByValues = new HashMap<>();
    private final Map<List<String>, PreparedStatement> lookups = new HashMap<>();
    private final List<Clash> clashes = new ArrayList<>();
    // Single text columns, compared as the target's collation compares them (one check per column).
    private final Map<String, UniqueText> texts = new LinkedHashMap<>();

    /** A backup row whose values a target row holds, as {@code targetText} when that is written differently. */
    private record Clash(String place, List<String> columns, List<Object> values, Object backupKey, Object targetKey,
                         String targetText) {
    }

    private UniqueValues(MapperContext context, Table table, String keyColumn, List<List<String>> indexes) {
        this.context = context;
        this.table = table;
        this.keyColumn = keyColumn;
        this.indexes = List.copyOf(indexes);
    }

    /** The check of every unique index of the table other than the one on {@code keyColumn} alone. */
    public static UniqueValues of(MapperContext context, Table table, String keyColumn) {
        return new UniqueValues(context, table, keyColumn, uniqueIndexes(context, table, keyColumn));
    }

    /**
     * The same check without the unique index on {@code column} alone: for a column that another part already
     * checks, such as the identity column of a {@link TextIdentity}, which also allows two rows to swap texts in a
     * replace.
     */
    public UniqueValues without(String column) {
        List<List<String>> kept = indexes.stream().filter(columns -> !columns.equals(List.of(column))).toList();
        return new UniqueValues(context, table, keyColumn, kept);
    }

    /** The columns of each unique index checked. */
    public List<List<String>> indexes() {
        return indexes;
    }

    /** The columns of the table's unique indexes, other than the one on {@code keyColumn} alone. */
    public static List<List<String>> uniqueIndexes(MapperContext context, Table table, String keyColumn) {
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
                        String name = table.column(column).map(Column::name).orElse(column);
                        byIndex.computeIfAbsent(index, i -> new ArrayList<>()).add(name);
                    }
                }
            }
        } catch (SQLException e) {
            throw new DatabaseAccessException("table " + table.name() + ": reading its unique indexes failed: " + e.getMessage(), e);
        }
        List<List<String>> unique = new ArrayList<>();
        for (List<String> columns : byIndex.values()) {
            boolean primary = columns.size() == 1 && (columns.get(0).equals(keyColumn)
                    || table.column(columns.get(0)).map(Column::primaryKey).orElse(false));
            boolean known = columns.stream().allMatch(c -> table.column(c).isPresent());
            if (!primary && known && !unique.contains(columns)) {
                unique.add(List.copyOf(columns));
            }
        }
        return unique;
    }

    /**
     * Adds a checked backup row: refuses at once values another row of the backup has, and notes a target row that
     * holds them under another key.
     *
     * @param targetValue from column and document value to the value to look up in the target, or {@code null}
     *                    when the target cannot hold it yet (then no target row can collide)
     */
    public void add(Row row, Object key, String place, BiFunction<String, Object, Object> targetValue) {
        for (List<String> columns : indexes) {
            List<Object> values = new ArrayList<>();
            for (String column : columns) {
                values.add(row.get(column));
            }
            if (values.contains(null)) {
                continue;
            }
            String earlier = placesByValues.computeIfAbsent(columns, c -> new HashMap<>()).putIfAbsent(values, place);
            if (earlier != null) {
                throw new InvalidBackupException(place + "." + String.join(",", columns), shown(values) + " is also the "
                        + String.join(", ", columns) + " of " + earlier + ", and " + table.name() + " holds each "
                        + (columns.size() == 1 ? "value" : "combination") + " once");
            }
            if (context.handle().isEmpty()) {
                continue;
            }
            List<Object> target = new ArrayList<>();
            for (int i = 0; i < columns.size(); i++) {
                target.add(targetValue.apply(columns.get(i), values.get(i)));
            }
            if (target.contains(null)) {
                continue;
            }
            if (columns.size() == 1 && values.get(0) instanceof String text && text.equals(target.get(0))
                    && table.column(columns.get(0)).map(c -> c.type() == ColumnType.TEXT).orElse(false)) {
                UniqueText check = texts.computeIfAbsent(columns.get(0), c -> UniqueText.of(context, table.name(), table, keyColumn, c));
                check.add(text, place);
                check.inTarget(text).filter(t -> !Objects.equals(t.key(), key)).ifPresent(t -> clashes.add(new Clash(place,
                        columns, values, key, t.key(), t.text().equals(text) ? null : t.text())));
                continue;
            }
            Object targetKey = targetKey(columns, target);
            if (targetKey != null && !Objects.equals(targetKey, key)) {
                clashes.add(new Clash(place, columns, values, key, targetKey, null));
            }
        }
    }

    private static String shown(List<Object> values) {
        List<String> parts = new ArrayList<>();
        for (Object value : values) {
            parts.add(value instanceof String || value instanceof Row ? "'" + value + "'" : String.valueOf(value));
        }
        return parts.size() == 1 ? parts.get(0) : "(" + String.join(", ", parts) + ")";
    }

    private Object targetKey(List<String> columns, List<Object> values) {
        Dialect d = context.dialect();
        try {
            PreparedStatement lookup = lookups.get(columns);
            if (lookup == null) {
                List<String> conditions = columns.stream().map(c -> d.quote(c) + " = ?").toList();
                lookup = context.handle().orElseThrow().getConnection().prepareStatement("SELECT " + d.quote(keyColumn) + " FROM "
                        + d.quote(table.name()) + " WHERE " + String.join(" AND ", conditions));
                lookups.put(columns, lookup);
            }
            for (int i = 0; i < values.size(); i++) {
                lookup.setObject(i + 1, values.get(i));
            }
            try (ResultSet rs = lookup.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                return d.read(rs, 1, table.column(keyColumn).orElseThrow());
            }
        } catch (SQLException e) {
            throw new DatabaseAccessException("table " + table.name() + ": looking up " + columns + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Once every row was checked: refuses the first backup row whose unique values a different target row holds,
     * unless the import removes that target row.
     *
     * @param removed whether the import removes the target row with this key
     * @throws IncompatibleDatabaseException naming both rows
     */
    public void judge(Predicate<Object> removed) {
        close();
        try {
            for (UniqueText check : texts.values()) {
                check.judge();
            }
        } finally {
            texts.values().forEach(UniqueText::close);
            texts.clear();
        }
        for (Clash clash : clashes) {
            if (!removed.test(clash.targetKey())) {
                String columns = String.join(", ", clash.columns());
                String written = clash.targetText() == null ? "" : " (as '" + clash.targetText() + "', which its collation"
                        + " holds as the same text)";
                throw new IncompatibleDatabaseException(clash.place() + "." + String.join(",", clash.columns()) + ": "
                        + shown(clash.values()) + " belongs to " + table.name() + " row " + keyColumn + " " + clash.targetKey()
                        + written
                        + " in the target database, but to " + keyColumn + " " + clash.backupKey() + " in the backup; "
                        + table.name() + "." + (clash.columns().size() == 1 ? columns + " is unique" : "(" + columns
                        + ") is unique together") + ", so the target cannot hold both; change one of them first");
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
