package io.djangouserbackup.core.spi;

import io.djangouserbackup.core.DatabaseAccessException;
import io.djangouserbackup.core.IncompatibleDatabaseException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A table's rows in the order of its key, each with the lists of its many-to-many links ({@link LinkTable}): how a
 * section is exported, with memory bounded however many rows the table holds.
 *
 * <p>Where the engine's driver streams several results on one connection at once
 * ({@link Dialect#streamsSeveralResults()}: SQLite, PostgreSQL), the rows are one streamed query and each link table
 * another, read side by side. Where it does not (MySQL, MariaDB), the rows are read in pages of up to
 * {@value #PAGE_SIZE} keys ({@code WHERE key > ? ORDER BY key LIMIT n}; fewer when the rows are large), and each
 * page's links in chunks of up to {@value #PAGE_SIZE} link rows as they are needed, in {@code (owner, target)} order;
 * only one result is open at a time. All pages are read inside the caller's transaction, so on an export they are
 * one snapshot, and the rows come out exactly as one query would give them.
 *
 * <pre>{@code
 * OrderedRows.read(context, table, "id", links, (values, linked) -> {
 *     // values: the row's columns as the dialect reads them; linked: one sorted list per link
 * });
 * }</pre>
 */
final class OrderedRows {

    /** How many rows (and link rows) a paged read takes per query at most. */
    static final int PAGE_SIZE = 5000;
    /** About how much memory the values of one page may take; a page of large rows holds fewer of them. */
    private static final long PAGE_BYTES = 8L << 20;
    /** How many rows a streaming driver fetches per round trip. */
    private static final int FETCH_SIZE = 1000;

    private OrderedRows() {
    }

    /** Receives the rows of {@link #read}, one at a time, in key order. */
    @FunctionalInterface
    interface Sink {
        /**
         * One row.
         *
         * @param values the row's column values as {@link Dialect#read} gives them, in the order of the table's columns
         * @param links  for each link, in the order given, the document values of the row's links, sorted the same way
         *               on every engine
         */
        void accept(Object[] values, List<List<Object>> links);
    }

    /**
     * Reads every row of the table in the order of {@code keyColumn}, with its links; {@code keyColumn} must be an
     * integer when there are links (their owner column points at it).
     *
     * @throws DatabaseAccessException when the database cannot be read, naming the table
     */
    static void read(MapperContext context, Table table, String keyColumn, List<LinkTable> links, Sink sink) {
        read(context, table, keyColumn, links, context.dialect().streamsSeveralResults() ? null : Paging.DEFAULT, sink);
    }

    /**
     * How a paged read is cut: at most {@code rows} rows and about {@code bytes} of values per page (a page of large
     * rows is smaller), and at most {@code links} link rows per query.
     */
    record Paging(int rows, long bytes, int links) {
        static final Paging DEFAULT = new Paging(PAGE_SIZE, PAGE_BYTES, PAGE_SIZE);
    }

    /** {@link #read(MapperContext, Table, String, List, Sink)} paged as given, or streamed when {@code paging} is null. */
    static void read(MapperContext context, Table table, String keyColumn, List<LinkTable> links, Paging paging, Sink sink) {
        Objects.requireNonNull(sink, "sink");
        int keyIndex = columnIndex(table, keyColumn);
        try {
            if (paging == null) {
                stream(context, table, keyIndex, links, sink);
            } else {
                paged(context, table, keyIndex, links, paging, sink);
            }
        } catch (SQLException e) {
            throw new DatabaseAccessException("table " + table.name() + ": " + e.getMessage(), e);
        }
    }

    private static void stream(MapperContext context, Table table, int keyIndex, List<LinkTable> links, Sink sink)
            throws SQLException {
        Dialect d = context.dialect();
        Connection connection = context.handle().orElseThrow().getConnection();
        List<LinkTable.Cursor> cursors = new ArrayList<>();
        try (Statement statement = connection.createStatement()) {
            // PostgreSQL's driver would otherwise hold every row of the result in memory before the first is read;
            // with a fetch size it streams them in batches inside the export's transaction.
            statement.setFetchSize(FETCH_SIZE);
            try (ResultSet rows = statement.executeQuery(select(d, table, keyIndex, ""))) {
                for (LinkTable link : links) {
                    cursors.add(link.openCursor(context));
                }
                while (rows.next()) {
                    Object[] values = values(d, rows, table.columns());
                    List<List<Object>> linked = new ArrayList<>(cursors.size());
                    if (!cursors.isEmpty()) {
                        long owner = rows.getLong(keyIndex + 1);
                        for (LinkTable.Cursor cursor : cursors) {
                            linked.add(cursor.take(owner));
                        }
                    }
                    sink.accept(values, linked);
                }
            }
        } finally {
            cursors.forEach(LinkTable.Cursor::close);
        }
    }

    private static void paged(MapperContext context, Table table, int keyIndex, List<LinkTable> links, Paging paging, Sink sink)
            throws SQLException {
        Dialect d = context.dialect();
        Connection connection = context.handle().orElseThrow().getConnection();
        String first = select(d, table, keyIndex, "") + " LIMIT ?";
        String next = select(d, table, keyIndex, " WHERE " + d.quote(table.columns().get(keyIndex).name()) + " > ?")
                + " LIMIT ?";
        Object lastKey = null;
        int limit = paging.rows();
        while (true) {
            List<Object[]> page = new ArrayList<>();
            long[] owners = new long[links.isEmpty() ? 0 : limit];
            long bytes = 0;
            boolean cut = false;
            try (PreparedStatement statement = connection.prepareStatement(lastKey == null ? first : next)) {
                // Streamed, so that a page cut short by its size leaves the rest of the result unread.
                statement.setFetchSize(FETCH_SIZE);
                if (lastKey != null) {
                    statement.setObject(1, lastKey);
                }
                statement.setInt(lastKey == null ? 1 : 2, limit);
                try (ResultSet rows = statement.executeQuery()) {
                    while (!cut && rows.next()) {
                        if (!links.isEmpty()) {
                            owners[page.size()] = rows.getLong(keyIndex + 1);
                        }
                        Object[] values = values(d, rows, table.columns());
                        page.add(values);
                        // The key as the driver gives it, bound as it is: the server compares it with the column's
                        // own type and collation, the ones ORDER BY sorts by.
                        lastKey = rows.getObject(keyIndex + 1);
                        bytes += size(values);
                        cut = bytes >= paging.bytes() && page.size() < limit;
                    }
                }
            }
            if (page.isEmpty()) {
                return;
            }
            List<LinkTable.Page> linkPages = new ArrayList<>(links.size());
            try {
                for (LinkTable link : links) {
                    linkPages.add(link.openPage(context, owners[0], owners[page.size() - 1], paging.links()));
                }
                for (int r = 0; r < page.size(); r++) {
                    List<List<Object>> linked = new ArrayList<>(linkPages.size());
                    for (LinkTable.Page linkPage : linkPages) {
                        linked.add(linkPage.take(owners[r]));
                    }
                    Object[] values = page.get(r);
                    // Let the row go once it is handed on.
                    page.set(r, null);
                    sink.accept(values, linked);
                }
            } finally {
                for (LinkTable.Page linkPage : linkPages) {
                    linkPage.close();
                }
            }
            if (!cut && page.size() < limit) {
                return;
            }
            // Large rows make smaller pages; the page grows back as rows get smaller.
            limit = cut ? page.size() : Math.min(paging.rows(), limit * 2);
        }
    }

    /** Roughly how much memory a row's values hold, to keep a page of large rows small. */
    private static long size(Object[] values) {
        long bytes = 16L + 8L * values.length;
        for (Object value : values) {
            bytes += value instanceof String text ? 40L + text.length() : 24L;
        }
        return bytes;
    }

    private static String select(Dialect d, Table table, int keyIndex, String where) {
        return "SELECT " + String.join(", ", table.columns().stream().map(c -> d.quote(c.name())).toList()) + " FROM "
                + d.quote(table.name()) + where + " ORDER BY " + d.quote(table.columns().get(keyIndex).name());
    }

    private static Object[] values(Dialect d, ResultSet rows, List<Column> columns) throws SQLException {
        Object[] values = new Object[columns.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = d.read(rows, i + 1, columns.get(i));
        }
        return values;
    }

    private static int columnIndex(Table table, String name) {
        List<Column> columns = table.columns();
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(name)) {
                return i;
            }
        }
        throw new IncompatibleDatabaseException("table " + table.name() + " has no key column " + name);
    }
}
