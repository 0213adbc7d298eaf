package io.djangouserbackup.core.spi;

import io.djangouserbackup.core.DatabaseAccessException;
import io.djangouserbackup.core.IncompatibleDatabaseException;
import io.djangouserbackup.core.InvalidBackupException;
import io.djangouserbackup.model.Row;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The identity of a table's rows: its one primary-key column ({@code id}, authtoken's 40-character {@code key},
 * a profile's one-to-one {@code user_id}), kept as it is from backup to target. During one run it checks and
 * declares each backup row's key (a duplicate is refused), knows which keys the target holds (so a row is created
 * or updated) and, for a replace, which target rows the backup lacks. Integer keys are kept in a sorted array,
 * so a million ids take 8 MiB.
 *
 * <pre>{@code
 * PrimaryKey key = PrimaryKey.of(context, table);
 * Object id = key.check(row, "profiles", place);                       // declares it, refuses duplicates
 * RowAction action = key.inTarget(id) ? RowAction.UPDATE : RowAction.CREATE;
 * }</pre>
 */
public final class PrimaryKey {
    private final MapperContext context;
    private final Table table;
    private final Column column;
    private long[] targetIds;
    private Set<Object> targetKeys;

    /** The key {@code column} of {@code table}. */
    public PrimaryKey(MapperContext context, Table table, String column) {
        this.context = Objects.requireNonNull(context, "context");
        this.table = Objects.requireNonNull(table, "table");
        this.column = table.column(column).orElseThrow(() -> new IncompatibleDatabaseException("table " + table.name()
                + " has no column " + column));
    }

    /**
     * The table's primary key.
     *
     * @throws IncompatibleDatabaseException when the table has none, or one of several columns (not supported)
     */
    public static PrimaryKey of(MapperContext context, Table table) {
        return new PrimaryKey(context, table, columnOf(table));
    }

    /** The name of the table's one primary-key column. */
    public static String columnOf(Table table) {
        List<Column> key = table.columns().stream().filter(Column::primaryKey).toList();
        if (key.size() != 1) {
            throw new IncompatibleDatabaseException("table " + table.name() + " has " + (key.isEmpty() ? "no primary key"
                    : "a primary key of " + key.size() + " columns") + "; only tables with a one-column primary key can be backed up");
        }
        return key.get(0).name();
    }

    /** The key column. */
    public Column column() {
        return column;
    }

    /** Whether keys are integers. */
    public boolean isInteger() {
        return column.type() == ColumnType.INTEGER;
    }

    /**
     * Checks a backup row's key and declares it in {@code section}; refuses a missing key, a key of the wrong
     * type and a key the section declared already.
     *
     * @return the key ({@link Long} or {@link String})
     */
    public Object check(Row row, String section, String place) {
        return checkKey(row, column.name(), isInteger(), context.references(), section, place);
    }

    /** The same check when there is no table to ask (verifying a file): the kind of key is given. */
    public static Object checkKey(Row row, String column, boolean integer, References references, String section, String place) {
        if (!row.has(column)) {
            throw new InvalidBackupException(place + "." + column, "missing");
        }
        Object key = row.get(column);
        boolean fresh;
        if (integer || key instanceof Long) {
            if (!(key instanceof Long id)) {
                throw new InvalidBackupException(place + "." + column, "expected an integer, got " + ColumnValues.jsonType(key));
            }
            fresh = references.declareId(section, id);
        } else {
            if (!(key instanceof String)) {
                throw new InvalidBackupException(place + "." + column, "expected a string, got " + ColumnValues.jsonType(key));
            }
            fresh = references.declare(section, key);
        }
        if (!fresh) {
            // A text key is not shown: it may be a secret (authtoken's key is the token itself).
            throw new InvalidBackupException(place + "." + column, (key instanceof Long ? column + " " + key
                    : "the same " + column + " as an earlier row") + " appears twice in " + section);
        }
        return key;
    }

    /** Whether the target has a row with this key (as it was before the import wrote anything). */
    public boolean inTarget(Object key) {
        load();
        if (targetIds != null) {
            return key instanceof Long id && Arrays.binarySearch(targetIds, id) >= 0;
        }
        return targetKeys.contains(key);
    }

    /** How many rows the target had. */
    public int targetSize() {
        load();
        return targetIds != null ? targetIds.length : targetKeys.size();
    }

    /** The target's keys that {@code section} did not declare, in key order: the rows a replace removes. */
    public List<Object> absent(String section) {
        load();
        List<Object> absent = new ArrayList<>();
        References references = context.references();
        if (targetIds != null) {
            for (long id : targetIds) {
                if (!references.isDeclaredId(section, id)) {
                    absent.add(id);
                }
            }
        } else {
            targetKeys.stream().filter(k -> !references.isDeclared(section, k)).map(String::valueOf).sorted()
                    .forEach(absent::add);
        }
        return absent;
    }

    private void load() {
        if (targetIds != null || targetKeys != null) {
            return;
        }
        Dialect d = context.dialect();
        String sql = "SELECT " + d.quote(column.name()) + " FROM " + d.quote(table.name());
        try (PreparedStatement statement = context.handle().orElseThrow().getConnection().prepareStatement(sql);
             ResultSet rs = statement.executeQuery()) {
            if (isInteger()) {
                long[] ids = new long[64];
                int count = 0;
                while (rs.next()) {
                    if (count == ids.length) {
                        ids = Arrays.copyOf(ids, count * 2);
                    }
                    ids[count++] = rs.getLong(1);
                }
                ids = Arrays.copyOf(ids, count);
                Arrays.sort(ids);
                targetIds = ids;
            } else {
                Set<Object> keys = new HashSet<>();
                while (rs.next()) {
                    keys.add(d.read(rs, 1, column));
                }
                targetKeys = keys;
            }
        } catch (SQLException e) {
            throw new DatabaseAccessException("table " + table.name() + ": reading its keys failed: " + e.getMessage(), e);
        }
    }
}
