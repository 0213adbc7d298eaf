package io.djangouserbackup.core.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * Plain JDBC on a handle's connection, for the few statements the built-in code runs outside its batches
 * (schema, lookups, pragmas). Jdbi's statement machinery is left to mappers that want it: initialising it
 * (its SQL parser, its column mappers, registering its Flight Recorder event) costs a few hundred
 * milliseconds, a large part of a small backup's run. Parameters are positional ({@code ?}).
 */
public final class Jdbc {

    /** Turns the current row into a value. */
    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet row) throws SQLException;
    }

    /** Takes the current row. */
    @FunctionalInterface
    public interface RowConsumer {
        void accept(ResultSet row) throws SQLException;
    }

    /** An {@link SQLException} on its way up; callers report the root cause's message. */
    public static final class Failure extends RuntimeException {
        Failure(SQLException cause) {
            super(cause.getMessage(), cause);
        }
    }

    private Jdbc() {
    }

    /** Every row of the query, mapped. */
    public static <T> List<T> list(Handle handle, String sql, RowMapper<T> mapper, Object... parameters) {
        List<T> list = new ArrayList<>();
        forEach(handle, sql, row -> list.add(mapper.map(row)), parameters);
        return list;
    }

    /** Hands every row of the query to {@code consumer}, one at a time. */
    public static void forEach(Handle handle, String sql, RowConsumer consumer, Object... parameters) {
        Connection connection = handle.getConnection();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    consumer.accept(rows);
                }
            }
        } catch (SQLException e) {
            throw new Failure(e);
        }
    }

    /** Runs an insert and returns the id the database gave the new row (its {@code idColumn}). */
    public static long insertReturningId(Handle handle, String sql, String idColumn, Object... parameters) {
        try (PreparedStatement statement = handle.getConnection().prepareStatement(sql, new String[] {idColumn})) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            statement.executeUpdate();
            try (ResultSet keys = statement.getGeneratedKeys()) {
                if (!keys.next()) {
                    throw new SQLException("the database returned no id for the new row");
                }
                return keys.getLong(1);
            }
        } catch (SQLException e) {
            throw new Failure(e);
        }
    }

    /** Runs a statement that returns no rows (a pragma, a setting). */
    public static void execute(Handle handle, String sql) {
        try (Statement statement = handle.getConnection().createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new Failure(e);
        }
    }
}
