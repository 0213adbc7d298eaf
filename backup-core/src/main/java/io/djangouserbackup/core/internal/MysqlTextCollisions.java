package io.djangouserbackup.core.internal;

import io.djangouserbackup.core.DatabaseAccessException;
import io.djangouserbackup.core.spi.Column;
import io.djangouserbackup.core.spi.Table;
import io.djangouserbackup.core.spi.TextCollisions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Handle;

/**
 * The backup's texts in a temporary table whose column has the target column's character set and collation, so that
 * the server itself says which texts its unique index would hold as one. Temporary tables neither commit the
 * import's transaction nor outlive the connection; rows are added in batches and compared once, at the end.
 */
final class MysqlTextCollisions implements TextCollisions {
    private static final AtomicLong COUNTER = new AtomicLong();
    private static final int FLUSH_EVERY = 1000;

    private final Connection connection;
    private final String table;
    private final String collation;
    private final PreparedStatement insert;
    private long seq;
    private int pending;

    private MysqlTextCollisions(Connection connection, String table, String collation) throws SQLException {
        this.connection = connection;
        this.table = table;
        this.collation = collation;
        this.insert = connection.prepareStatement("INSERT INTO " + table + " (seq, value, place) VALUES (?, ?, ?)");
    }

    /** A check for the column, or null when it holds no indexable text. */
    static TextCollisions of(Handle handle, Table table, Column column) {
        String declared = column.declaredType().toLowerCase(java.util.Locale.ROOT);
        if (!declared.startsWith("varchar(") && !declared.startsWith("char(")) {
            return null;
        }
        var charset = handle.createQuery("SELECT CHARACTER_SET_NAME, COLLATION_NAME FROM information_schema.COLUMNS"
                        + " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = :table AND COLUMN_NAME = :column")
                .bind("table", table.name()).bind("column", column.name())
                .map((rs, ctx) -> new String[] {rs.getString(1), rs.getString(2)})
                .findOne();
        if (charset.isEmpty() || charset.get()[0] == null || charset.get()[1] == null) {
            return null;
        }
        String characterSet = SqliteDialect.checkIdentifier(charset.get()[0]);
        String collation = SqliteDialect.checkIdentifier(charset.get()[1]);
        String name = "dub_collisions_" + COUNTER.incrementAndGet();
        Connection connection = handle.getConnection();
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TEMPORARY TABLE " + name + " (seq BIGINT PRIMARY KEY, value " + column.declaredType()
                    + " CHARACTER SET " + characterSet + " COLLATE " + collation + " NOT NULL, place TEXT NOT NULL, KEY (value))");
            return new MysqlTextCollisions(connection, name, collation);
        } catch (SQLException e) {
            throw new DatabaseAccessException("table " + table.name() + ": preparing the check of " + column.name()
                    + " values failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void add(String value, String place) {
        try {
            insert.setLong(1, ++seq);
            insert.setString(2, value);
            insert.setString(3, place);
            insert.addBatch();
            if (++pending >= FLUSH_EVERY) {
                flush();
            }
        } catch (SQLException e) {
            throw new DatabaseAccessException(place + ": checking the value against the target's collation failed: "
                    + e.getMessage(), e);
        }
    }

    private void flush() throws SQLException {
        if (pending > 0) {
            insert.executeBatch();
            pending = 0;
        }
    }

    @Override
    public Optional<Collision> first() {
        try {
            flush();
            // Exact duplicates were refused before; a group of more than one is texts that differ but compare equal.
            // A temporary table cannot be opened twice in one query, hence two.
            Long firstSeq = null;
            try (Statement statement = connection.createStatement();
                 ResultSet rs = statement.executeQuery("SELECT MIN(seq) FROM " + table + " GROUP BY value HAVING COUNT(*) > 1"
                         + " ORDER BY MIN(seq) LIMIT 1")) {
                if (rs.next()) {
                    firstSeq = rs.getLong(1);
                }
            }
            if (firstSeq == null) {
                return Optional.empty();
            }
            return Optional.of(collision(firstSeq));
        } catch (SQLException e) {
            throw new DatabaseAccessException("checking values against the target's collation failed: " + e.getMessage(), e);
        }
    }

    private Collision collision(long firstSeq) throws SQLException {
        String value;
        try (PreparedStatement one = connection.prepareStatement("SELECT value FROM " + table + " WHERE seq = ?")) {
            one.setLong(1, firstSeq);
            try (ResultSet rs = one.executeQuery()) {
                rs.next();
                value = rs.getString(1);
            }
        }
        try (PreparedStatement pair = connection.prepareStatement("SELECT place, value FROM " + table
                + " WHERE value = ? ORDER BY seq LIMIT 2")) {
            pair.setString(1, value);
            try (ResultSet rs = pair.executeQuery()) {
                rs.next();
                String firstPlace = rs.getString(1);
                String firstValue = rs.getString(2);
                rs.next();
                return new Collision(firstPlace, firstValue, rs.getString(1), rs.getString(2), collation);
            }
        }
    }

    @Override
    public void close() {
        try (Statement statement = connection.createStatement()) {
            insert.close();
            statement.execute("DROP TEMPORARY TABLE IF EXISTS " + table);
        } catch (SQLException ignored) {
            // The table is the connection's own and goes with it.
        }
    }
}
