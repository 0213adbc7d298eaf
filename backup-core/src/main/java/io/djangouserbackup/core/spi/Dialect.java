package io.djangouserbackup.core.spi;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * Everything that differs between database engines, in one place: how the schema is read, how identifiers
 * are quoted, how values travel between JSON and the database, and how an upsert is spelled. Mappers build
 * their SQL only through this interface.
 */
public interface Dialect {

    /** A short name for messages, e.g. {@code sqlite}. */
    String name();

    /**
     * Quotes a table or column name. Names that are not plain identifiers ({@code [A-Za-z_][A-Za-z0-9_]*})
     * are refused, so no SQL can be injected through configured names.
     */
    String quote(String identifier);

    /** Prepares a newly opened connection: foreign keys enforced, a bounded wait for locks. */
    default void configure(Handle handle) {
    }

    /**
     * Begins the read-only transaction of an export: one consistent snapshot of every table. SQLite's
     * transaction is one already; a server engine needs a stricter isolation level than its default.
     */
    default void beginSnapshot(Handle handle) {
        handle.begin();
    }

    /**
     * Whether the engine's driver streams several results on one connection at the same time. SQLite's and
     * PostgreSQL's do, so an export reads a table's rows and each of its link tables as one query each, side by
     * side. MySQL's and MariaDB's stream only the result opened last and read the others whole into memory, so
     * an export there reads a table in pages of keys instead ({@link TableRows#export}), in the same snapshot.
     */
    default boolean streamsSeveralResults() {
        return true;
    }

    /** The names of all tables. */
    List<String> tableNames(Handle handle);

    /** The table with its columns and foreign keys, or empty when there is no such table. */
    Optional<Table> table(Handle handle, String name);

    /** Reads one column of the current row as a JSON value (see {@code Row} for the Java types). */
    Object read(ResultSet resultSet, int index, Column column) throws SQLException;

    /** Turns a checked JSON value into the value to bind for the column. */
    Object toDatabase(Object jsonValue, Column column);

    /**
     * Whether the column holds a value that passed {@link ColumnValues#check(Object, Column, String, String, String)}
     * exactly, asked before anything is written.
     *
     * @param place where the value stands in the document, for the message
     * @return {@code null} when the column holds the value exactly; otherwise how it is stored instead, the way Django
     *         stores it on this engine (e.g. a wide decimal as SQLite's nearest double), which the import notes
     * @throws io.djangouserbackup.core.IncompatibleDatabaseException naming the place and the column when the
     *         column cannot hold the value at all (too many digits, a time zone MySQL cannot store, ...)
     */
    default String approximation(Object jsonValue, Column column, String table, String place) {
        return null;
    }

    /**
     * Whether a column the backup describes (its declared type in the source, from the backup's header) can move
     * to this engine; {@code null} when it can, else why not. A PostgreSQL array, range or {@code hstore} has no
     * counterpart on SQLite or MySQL, so its values, PostgreSQL's texts, would mean something else there.
     */
    default String cannotHoldSourceType(String sourceEngine, String declaredType) {
        return null;
    }

    /**
     * Whether a value of a column the backup describes (its declared type in the source) can be read back on this
     * engine as the source's Django field; {@code null} when it can, else why not. Django on SQLite reads a decimal
     * to 15 significant digits and quantizes it to the field's places, so {@code 99999999999999999999.9999999999}
     * of a {@code numeric(30,10)} becomes {@code 1E+20}, which has 31 digits: Django there cannot read the row.
     */
    default String cannotHoldFromSourceType(Object jsonValue, String declaredType) {
        return null;
    }

    /**
     * A plain insert of one row, for a row the check pass found missing from the target: should another program have
     * written a row with its key meanwhile, the insert fails instead of overwriting that row (an upsert would).
     */
    default String insert(String table, List<String> columns) {
        String names = columns.stream().map(this::quote).collect(Collectors.joining(", "));
        String marks = columns.stream().map(c -> "?").collect(Collectors.joining(", "));
        return "INSERT INTO " + quote(table) + " (" + names + ") VALUES (" + marks + ")";
    }

    /**
     * Whether the failure is a duplicate key: a row with the same key or unique value is in the table already.
     */
    default boolean isDuplicateKey(SQLException failure) {
        String state = failure.getSQLState();
        return "23505".equals(state) || failure.getErrorCode() == 1062
                || failure.getMessage() != null && failure.getMessage().contains("UNIQUE constraint failed");
    }

    /**
     * An upsert of one row: insert {@code columns}, or, when a row with the same {@code keyColumns} exists,
     * update the other columns. Parameters are positional, in the order of {@code columns}. The default is the
     * {@code INSERT ... ON CONFLICT ... DO UPDATE} that SQLite and PostgreSQL both understand.
     */
    default String upsert(String table, List<String> columns, List<String> keyColumns) {
        String names = columns.stream().map(this::quote).collect(Collectors.joining(", "));
        String marks = columns.stream().map(c -> "?").collect(Collectors.joining(", "));
        List<String> updates = new ArrayList<>();
        for (String column : columns) {
            if (!keyColumns.contains(column)) {
                updates.add(quote(column) + " = excluded." + quote(column));
            }
        }
        String conflict = keyColumns.stream().map(this::quote).collect(Collectors.joining(", "));
        return "INSERT INTO " + quote(table) + " (" + names + ") VALUES (" + marks + ") ON CONFLICT (" + conflict + ") "
                + (updates.isEmpty() ? "DO NOTHING" : "DO UPDATE SET " + String.join(", ", updates));
    }

    /**
     * After a commit failed, what rows of which tables would point at rows that are gone ({@code table -> referenced
     * table}, or the engine's own description); empty when the failure was something else.
     */
    default List<String> brokenReferences(Connection connection, SQLException failure) {
        return List.of();
    }

    /**
     * Whether the failure is another transaction's lock that was not released within the lock timeout (SQLite's
     * busy database, PostgreSQL's {@code lock_timeout}, MySQL's {@code innodb_lock_wait_timeout}).
     */
    default boolean isLockTimeout(SQLException failure) {
        return false;
    }

    /**
     * Whether the failure is the connection to the server going away (the server restarted, the session was killed,
     * the network dropped). The default recognises SQL's connection-exception class ({@code 08}); a dialect adds
     * its server's own codes.
     */
    default boolean isConnectionLost(SQLException failure) {
        return failure.getSQLState() != null && failure.getSQLState().startsWith("08");
    }

    /**
     * A check for texts that the column's unique index holds as the same value although they differ (MySQL's
     * case- and accent-insensitive collations), or {@code null} when the engine compares texts exactly, as SQLite
     * and PostgreSQL (with Django's default collations) do.
     */
    default TextCollisions textCollisions(Handle handle, Table table, Column column) {
        return null;
    }

    /** After rows were inserted with explicit ids, moves the table's id sequence past the highest id. */
    default void resetSequence(Handle handle, String table, String idColumn) {
    }
}
