package io.djangouserbackup.core.internal;

import io.djangouserbackup.core.spi.Column;
import io.djangouserbackup.core.spi.ColumnType;
import io.djangouserbackup.core.spi.Dialect;
import io.djangouserbackup.core.spi.ForeignKey;
import io.djangouserbackup.core.spi.Table;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;

/**
 * SQLite as Django uses it: booleans as 0/1 integers, datetimes as text ({@code 2022-05-19 22:34:19.600861}),
 * decimals as numbers of whichever storage class SQLite chose. Values are read by their actual storage class,
 * so a row read and written back is stored exactly as before.
 */
public final class SqliteDialect implements Dialect {

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    @Override
    public String name() {
        return "sqlite";
    }

    @Override
    public String quote(String identifier) {
        return "\"" + checkIdentifier(identifier) + "\"";
    }

    /** Refuses anything but a plain identifier. */
    public static String checkIdentifier(String identifier) {
        if (identifier == null || !IDENTIFIER.matcher(identifier).matches()) {
            throw new IllegalArgumentException("not a plain table or column name: " + identifier);
        }
        return identifier;
    }

    @Override
    public void configure(Handle handle) {
        // Django's SQLite backend turns foreign keys on; its constraints are DEFERRABLE INITIALLY DEFERRED,
        // so they are checked at commit, as Django would.
        Jdbc.execute(handle, "PRAGMA foreign_keys = ON");
        // A large import touches index pages all over the user table; SQLite's default 2 MiB page cache thrashes.
        // The cache is native memory, allocated only as pages are read.
        Jdbc.execute(handle, "PRAGMA cache_size = -65536");
    }

    @Override
    public List<String> tableNames(Handle handle) {
        return Jdbc.list(handle, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
                rs -> rs.getString(1));
    }

    @Override
    public Optional<Table> table(Handle handle, String name) {
        String quoted = quote(name);
        List<Column> columns = Jdbc.list(handle, "PRAGMA table_info(" + quoted + ")",
                rs -> DeclaredTypes.parse(rs.getString("name"), rs.getString("type"), rs.getInt("notnull") != 0,
                        rs.getString("dflt_value") != null, rs.getInt("pk") != 0));
        if (columns.isEmpty()) {
            return Optional.empty();
        }
        List<ForeignKey> foreignKeys = Jdbc.list(handle, "PRAGMA foreign_key_list(" + quoted + ")",
                rs -> new ForeignKey(rs.getString("from"), rs.getString("table"), rs.getString("to")));
        return Optional.of(new Table(name, columns, foreignKeys));
    }

    @Override
    public Object read(ResultSet resultSet, int index, Column column) throws SQLException {
        Object value = resultSet.getObject(index);
        if (value == null) {
            return null;
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            long number = ((Number) value).longValue();
            if (column.type() == ColumnType.BOOLEAN && (number == 0 || number == 1)) {
                return number == 1;
            }
            return number;
        }
        if (value instanceof Double || value instanceof Float) {
            double number = ((Number) value).doubleValue();
            // A decimal column holds the double Django's text became; the document carries its exact digits.
            return column.type() == ColumnType.DECIMAL ? Decimals.fromDouble(number) : Floats.toDocument(number);
        }
        if (value instanceof byte[] bytes) {
            return Base64.getEncoder().encodeToString(bytes);
        }
        return value.toString();
    }

    @Override
    public Object toDatabase(Object jsonValue, Column column) {
        if (jsonValue instanceof Boolean bool) {
            return bool ? 1 : 0;
        }
        switch (column.type()) {
            case BLOB -> {
                if (jsonValue instanceof String text) {
                    return Base64.getDecoder().decode(text);
                }
            }
            case REAL -> {
                return Floats.toDatabase(jsonValue);
            }
            case INTEGER -> {
                return Integers.toDatabase(jsonValue);
            }
            default -> {
            }
        }
        if (jsonValue instanceof BigDecimal decimal) {
            // The text Django binds for a decimal: SQLite's NUMERIC affinity makes it an integer, or the nearest double,
            // exactly as it does for Django.
            return decimal.toPlainString();
        }
        return jsonValue;
    }

    @Override
    public String approximation(Object jsonValue, Column column, String table, String place) {
        return switch (column.type()) {
            case DECIMAL -> jsonValue instanceof BigDecimal decimal ? Decimals.sqliteApproximation(decimal, column, table, place) : null;
            case REAL -> Floats.approximation(jsonValue, column, table, place, true, false);
            case INTEGER -> {
                Integers.checkRange(jsonValue, column, table, place, false);
                yield null;
            }
            default -> null;
        };
    }

    @Override
    public String cannotHoldSourceType(String sourceEngine, String declaredType) {
        return PostgresDialect.onlyPostgres(sourceEngine, declaredType, name());
    }

    @Override
    public boolean isLockTimeout(SQLException failure) {
        return failure instanceof org.sqlite.SQLiteException sqlite
                && (sqlite.getResultCode().code & 0xff) == org.sqlite.SQLiteErrorCode.SQLITE_BUSY.code;
    }

    @Override
    public List<String> brokenReferences(Connection connection, SQLException failure) {
        // A deferred foreign key failed. SQLite keeps the transaction open, so the rows at fault can be named.
        List<String> broken = new ArrayList<>();
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("PRAGMA foreign_key_check")) {
            while (rs.next()) {
                String pair = rs.getString(1) + " -> " + rs.getString(3);
                if (!broken.contains(pair)) {
                    broken.add(pair);
                }
            }
        } catch (SQLException ignored) {
            // The original failure says enough.
        }
        return broken;
    }
}
