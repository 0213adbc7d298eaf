package io.djangouserbackup.core.spi;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Batched writes: prepared statements batched together and flushed in the order they were first used, so that a
 * delete of a row's old links always runs before the insert of its new ones. Each statement is prepared once.
 * The built-in sections write through one of these per section; a mapper of its own does the same.
 *
 * <pre>{@code
 * BatchedWrites writes = new BatchedWrites(context.handle().orElseThrow().getConnection());
 * writes.add(dialect.upsert("accounts_profile", columns, List.of("user_id")), values);
 * writes.maybeFlush();            // between rows
 * writes.flush();                 // in SectionRun.afterWrite, before the next section is written
 * }</pre>
 */
public final class BatchedWrites implements AutoCloseable {
    private static final int FLUSH_EVERY = 1000;

    private final Connection connection;
    private final Map<String, PreparedStatement> statements = new LinkedHashMap<>();
    private final List<String> order = new ArrayList<>();
    private int pending;

    /** Writes on the connection, inside its current transaction. */
    public BatchedWrites(Connection connection) {
        this.connection = connection;
    }

    /**
     * Gives {@code sql} its place in the flush order now, before it is first used: a row's two forms (insert and
     * upsert) both run before the statements that write its links, whichever form a later row takes.
     */
    public void register(String sql) throws SQLException {
        prepared(sql);
    }

    private PreparedStatement prepared(String sql) throws SQLException {
        PreparedStatement statement = statements.get(sql);
        if (statement == null) {
            statement = connection.prepareStatement(sql);
            statements.put(sql, statement);
            order.add(sql);
        }
        return statement;
    }

    /** Adds one execution of {@code sql} with the given parameters. */
    public void add(String sql, Object... parameters) throws SQLException {
        PreparedStatement statement = prepared(sql);
        for (int i = 0; i < parameters.length; i++) {
            statement.setObject(i + 1, parameters[i]);
        }
        statement.addBatch();
        pending++;
    }

    /** Flushes when enough is pending; call between rows, never in the middle of one. */
    public void maybeFlush() throws SQLException {
        if (pending >= FLUSH_EVERY) {
            flush();
        }
    }

    /** Runs everything pending, statement by statement in first-use order. */
    public void flush() throws SQLException {
        for (String sql : order) {
            statements.get(sql).executeBatch();
        }
        pending = 0;
    }

    /** Closes the prepared statements; what was not flushed is dropped. */
    @Override
    public void close() throws SQLException {
        SQLException first = null;
        for (PreparedStatement statement : statements.values()) {
            try {
                statement.close();
            } catch (SQLException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
