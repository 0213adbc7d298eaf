package io.djangouserbackup.core.internal;

import io.djangouserbackup.core.spi.Column;
import io.djangouserbackup.core.spi.ColumnType;
import io.djangouserbackup.core.spi.ForeignKey;
import io.djangouserbackup.core.spi.Table;
import io.djangouserbackup.core.spi.TextCollisions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;

/**
 * MySQL and MariaDB as Django uses them (InnoDB tables), translated to and from the document's canonical forms
 * (see {@link ServerDialect}):
 * <ul>
 *   <li>{@code datetime(6)} holds the naive UTC datetime Django writes with {@code USE_TZ}; it is read and written
 *       as it is, whatever the session's time zone;</li>
 *   <li>{@code tinyint(1)}, Django's {@code bool}, is {@code true}/{@code false} (any other number stays a
 *       number, as on SQLite);</li>
 *   <li>{@code decimal(m,d)} as on every server; {@code char(32)} UUIDs are already Django's SQLite form.</li>
 * </ul>
 * An upsert is {@code INSERT ... ON DUPLICATE KEY UPDATE}; an export reads one
 * {@code REPEATABLE READ} snapshot taken when it begins. InnoDB moves a table's {@code AUTO_INCREMENT} counter past
 * every id inserted explicitly, as part of the insert, so an import needs no {@code ALTER TABLE} (which would
 * commit the import's transaction half-way) for Django's next insert not to collide.
 */
public final class MysqlDialect extends ServerDialect {

    /** MySQL's {@code ER_LOCK_WAIT_TIMEOUT}: a row or metadata lock was not granted within the timeout. */
    private static final int LOCK_WAIT_TIMEOUT = 1205;
    /** {@code ER_ROW_IS_REFERENCED_2}: a delete would leave rows of another table pointing at nothing. */
    private static final int ROW_IS_REFERENCED = 1451;

    /** A dialect that waits at most {@code lockTimeout} (whole seconds, at least one) for another transaction's lock. */
    public MysqlDialect(Duration lockTimeout) {
        super(lockTimeout);
    }

    @Override
    public MysqlDialect withLockTimeout(Duration timeout) {
        return new MysqlDialect(timeout);
    }

    @Override
    public Properties connectionProperties() {
        Properties properties = new Properties();
        // Milliseconds, unlike PostgreSQL's driver.
        properties.setProperty("connectTimeout", String.valueOf(Math.max(1000, lockTimeout.toMillis())));
        properties.setProperty("connectionAttributes", "program_name:django-user-backup");
        return properties;
    }

    /** MariaDB's driver takes {@code jdbc:mysql:} only with an extra option; the protocol is the same. */
    @Override
    public String driverUrl(String url) {
        return url.startsWith("jdbc:mysql:") ? "jdbc:mariadb:" + url.substring("jdbc:mysql:".length()) : url;
    }

    @Override
    public String passwordVariable() {
        return "MYSQL_PWD";
    }

    @Override
    public String name() {
        return "mysql";
    }

    @Override
    public String quote(String identifier) {
        return quoteWith('`', identifier);
    }

    @Override
    public void configure(Handle handle) {
        long seconds = Math.max(1, (lockTimeout.toMillis() + 999) / 1000);
        // Row locks (InnoDB) and table metadata locks each have their own timeout.
        handle.execute("SET SESSION innodb_lock_wait_timeout = " + seconds);
        handle.execute("SET SESSION lock_wait_timeout = " + seconds);
        // Django's datetime(6) columns hold naive UTC and are not converted; UTC makes NOW() and any TIMESTAMP
        // column agree with them.
        handle.execute("SET time_zone = '+00:00'");
        // Strict: a value that does not fit is an error, never silently cut (the check pass refuses such values
        // first). NO_AUTO_VALUE_ON_ZERO: an id 0 from another engine is stored as 0, not replaced by a new id.
        handle.execute("SET SESSION sql_mode = CONCAT_WS(',', NULLIF(@@SESSION.sql_mode, ''), 'STRICT_TRANS_TABLES',"
                + " 'NO_AUTO_VALUE_ON_ZERO')");
    }

    @Override
    public void beginSnapshot(Handle handle) {
        try {
            handle.getConnection().setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot choose REPEATABLE READ: " + e.getMessage(), e);
        }
        handle.begin();
        // The snapshot is taken now, not at the first read, so every table is seen as of the same moment; READ
        // ONLY guarantees the export writes nothing.
        handle.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY");
    }

    /**
     * MariaDB Connector/J streams only the result opened last on a connection: opening another reads the rest of
     * the first into memory.
     */
    @Override
    public boolean streamsSeveralResults() {
        return false;
    }

    @Override
    public List<String> tableNames(Handle handle) {
        // Sorted here: information_schema's collation would order names differently from the other engines.
        return handle.createQuery("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()"
                        + " AND TABLE_TYPE = 'BASE TABLE'")
                .mapTo(String.class).list().stream().sorted().collect(Collectors.toList());
    }

    @Override
    public Optional<Table> table(Handle handle, String name) {
        SqliteDialect.checkIdentifier(name);
        List<Column> columns = handle.createQuery("SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT,"
                        + " EXTRA, COLUMN_KEY, CHARACTER_MAXIMUM_LENGTH FROM information_schema.COLUMNS"
                        + " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = :name ORDER BY ORDINAL_POSITION")
                .bind("name", name)
                .map((rs, ctx) -> {
                    long length = rs.getLong("CHARACTER_MAXIMUM_LENGTH");
                    Integer maxLength = rs.wasNull() || length > Integer.MAX_VALUE ? null : (int) length;
                    String extra = rs.getString("EXTRA");
                    // MariaDB says 'NULL' (text) for a nullable column without a default, and SQL NULL for none.
                    boolean filled = rs.getString("COLUMN_DEFAULT") != null
                            || (extra != null && extra.toLowerCase(Locale.ROOT).contains("auto_increment"));
                    return column(rs.getString("COLUMN_NAME"), rs.getString("DATA_TYPE"), rs.getString("COLUMN_TYPE"),
                            maxLength, "NO".equals(rs.getString("IS_NULLABLE")), filled, "PRI".equals(rs.getString("COLUMN_KEY")));
                })
                .list();
        if (columns.isEmpty()) {
            return Optional.empty();
        }
        // Single-column foreign keys, as Django makes them, in the order of their columns.
        List<ForeignKey> foreignKeys = handle.createQuery("SELECT k.COLUMN_NAME, k.REFERENCED_TABLE_NAME, k.REFERENCED_COLUMN_NAME"
                        + " FROM information_schema.KEY_COLUMN_USAGE k JOIN information_schema.COLUMNS c"
                        + " ON c.TABLE_SCHEMA = k.TABLE_SCHEMA AND c.TABLE_NAME = k.TABLE_NAME AND c.COLUMN_NAME = k.COLUMN_NAME"
                        + " WHERE k.TABLE_SCHEMA = DATABASE() AND k.TABLE_NAME = :name AND k.REFERENCED_TABLE_NAME IS NOT NULL"
                        + " AND k.REFERENCED_TABLE_SCHEMA = DATABASE()"
                        + " AND NOT EXISTS (SELECT 1 FROM information_schema.KEY_COLUMN_USAGE o WHERE o.TABLE_SCHEMA = k.TABLE_SCHEMA"
                        + " AND o.TABLE_NAME = k.TABLE_NAME AND o.CONSTRAINT_NAME = k.CONSTRAINT_NAME AND o.ORDINAL_POSITION > 1)"
                        + " ORDER BY c.ORDINAL_POSITION")
                .bind("name", name)
                .map((rs, ctx) -> new ForeignKey(rs.getString(1), rs.getString(2), rs.getString(3)))
                .list();
        return Optional.of(new Table(name, columns, foreignKeys));
    }

    /** A column from information_schema's {@code DATA_TYPE} ({@code varchar}) and {@code COLUMN_TYPE} ({@code varchar(150)}). */
    static Column column(String name, String dataType, String columnType, Integer maxLength, boolean notNull, boolean filled,
                         boolean primaryKey) {
        String declared = columnType.toLowerCase(Locale.ROOT);
        ColumnType kind = switch (dataType.toLowerCase(Locale.ROOT)) {
            // Django's BooleanField is 'bool', which MySQL stores as tinyint(1).
            case "tinyint" -> declared.startsWith("tinyint(1)") ? ColumnType.BOOLEAN : ColumnType.INTEGER;
            case "smallint", "mediumint", "int", "integer", "bigint" -> ColumnType.INTEGER;
            case "decimal", "numeric" -> ColumnType.DECIMAL;
            case "float", "double", "real" -> ColumnType.REAL;
            case "char", "varchar", "tinytext", "text", "mediumtext", "longtext" -> ColumnType.TEXT;
            case "datetime", "timestamp" -> ColumnType.DATETIME;
            case "date" -> ColumnType.DATE;
            case "time" -> ColumnType.TIME;
            case "binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob" -> ColumnType.BLOB;
            // json, enum, set, year, bit, MariaDB's uuid and inet6: stored as the text the engine reads back.
            default -> ColumnType.OTHER;
        };
        Integer limit = kind == ColumnType.TEXT && (declared.startsWith("char") || declared.startsWith("varchar")) ? maxLength : null;
        return new Column(name, columnType, kind, limit, notNull, filled, primaryKey);
    }

    @Override
    boolean holdsInfinity() {
        return false;
    }

    @Override
    public String cannotHoldSourceType(String sourceEngine, String declaredType) {
        return PostgresDialect.onlyPostgres(sourceEngine, declaredType, name());
    }

    @Override
    Object readBoolean(ResultSet resultSet, int index) throws SQLException {
        long value = resultSet.getLong(index);
        if (resultSet.wasNull()) {
            return null;
        }
        return value == 0 || value == 1 ? (Object) (value == 1) : (Object) value;
    }

    @Override
    public String upsert(String table, List<String> columns, List<String> keyColumns) {
        String names = columns.stream().map(this::quote).collect(Collectors.joining(", "));
        String marks = columns.stream().map(c -> "?").collect(Collectors.joining(", "));
        List<String> updates = new ArrayList<>();
        for (String column : columns) {
            if (!keyColumns.contains(column)) {
                updates.add(quote(column) + " = VALUES(" + quote(column) + ")");
            }
        }
        if (updates.isEmpty()) {
            // Nothing to update: assigning the key to itself keeps the row as it is (INSERT IGNORE would also
            // hide other errors).
            updates.add(quote(keyColumns.get(0)) + " = " + quote(keyColumns.get(0)));
        }
        // ON DUPLICATE KEY matches any unique key, not only the given one: the check pass has made sure that no
        // other unique value (a username) belongs to another row.
        return "INSERT INTO " + quote(table) + " (" + names + ") VALUES (" + marks + ") ON DUPLICATE KEY UPDATE "
                + String.join(", ", updates);
    }

    @Override
    public TextCollisions textCollisions(Handle handle, Table table, Column column) {
        return MysqlTextCollisions.of(handle, table, column);
    }

    @Override
    public boolean isConnectionLost(SQLException failure) {
        // ER_CONNECTION_KILLED (KILL CONNECTION), and the client's "server has gone away" / "lost connection".
        int code = failure.getErrorCode();
        return super.isConnectionLost(failure) || code == 1927 || code == 2006 || code == 2013;
    }

    @Override
    public boolean isLockTimeout(SQLException e) {
        return e.getErrorCode() == LOCK_WAIT_TIMEOUT;
    }

    @Override
    public List<String> brokenReferences(Connection connection, SQLException failure) {
        // InnoDB checks foreign keys at each statement, not at commit: the delete that would orphan rows fails, and
        // its message names the table whose rows point at it.
        for (SQLException e = failure; e != null; e = e.getNextException()) {
            if (e.getErrorCode() == ROW_IS_REFERENCED) {
                return List.of(e.getMessage().replace('\n', ' '));
            }
        }
        return List.of();
    }
}
