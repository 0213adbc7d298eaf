package io.djangouserbackup.core.spi;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
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

    /** The names of all tables. */
    List<String> tableNames(Handle handle);

    /** The table with its columns and foreign keys, or empty when there is no such table. */
    Optional<Table> table(Handle handle, String name);

    /** Reads one column of the current row as a JSON value (see {@code Row} for the Java types). */
    Object read(ResultSet resultSet, int index, Column column) throws SQLException;

    /** Turns a checked JSON value into the value to bind for the column. */
    Object toDatabase(Object jsonValue, Column column);

    /**
     * An upsert of one row: insert {@code columns}, or, when a row with the same {@code keyColumns} exists,
     * update the other columns. Parameters are positional, in the order of {@code columns}.
     */
    String upsert(String table, List<String> columns, List<String> keyColumns);

    /**
     * After a commit failed, what rows of which tables would point at rows that are gone ({@code table -> referenced
     * table}, or the engine's own description); empty when the failure was something else.
     */
    default List<String> brokenReferences(Connection connection, SQLException failure) {
        return List.of();
    }

    /** After rows were inserted with explicit ids, moves the table's id sequence past the highest id. */
    default void resetSequence(Handle handle, String table, String idColumn) {
    }
}
