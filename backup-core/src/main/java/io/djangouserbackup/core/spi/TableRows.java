package io.djangouserbackup.core.spi;

import io.djangouserbackup.core.DatabaseAccessException;
import io.djangouserbackup.core.IncompatibleDatabaseException;
import io.djangouserbackup.model.Row;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The rows of one table as a section holds them: every column a field, and each many-to-many {@link LinkTable}
 * the table owns as a list field. Rows are read in key order, checked against the target's columns and written by
 * key: a row the target lacks is inserted (never upserted: if another program wrote one with its key meanwhile,
 * the import fails rather than overwrite it), a row it has is upserted, and its links are set to the backup's. The
 * built-in users, groups and OpenAI models and every included table are read and written through this.
 *
 * <pre>{@code
 * TableRows rows = new TableRows(context, table, "id", links);
 * rows.export((column, value) -> value, sink);                          // in SectionRun.exportRows
 * rows.exportWhere("id", keys, (column, value) -> value, sink);         // in SectionRun.exportRows(keys, sink)
 * rows.checkColumns(row, place, field -> false);                        // in SectionRun.check
 * rows.write(row, key.inTarget(id), (column, value) -> value, writes);  // in SectionRun.write
 * }</pre>
 */
public final class TableRows {
    private final MapperContext context;
    private final Table table;
    private final String keyColumn;
    private final List<LinkTable> links;
    private final Set<String> linkFields = new HashSet<>();
    private final Map<String, Column> columns = new HashMap<>();
    private final Map<List<String>, String> upsertSql = new HashMap<>();
    private final Map<List<String>, String> insertSql = new HashMap<>();

    /**
     * The rows of {@code table}, keyed by {@code keyColumn}, with the links it owns (their owner column points at
     * the key, which must then be an integer).
     */
    public TableRows(MapperContext context, Table table, String keyColumn, List<LinkTable> links) {
        this.context = Objects.requireNonNull(context, "context");
        this.table = Objects.requireNonNull(table, "table");
        this.keyColumn = Objects.requireNonNull(keyColumn, "keyColumn");
        this.links = List.copyOf(links);
        table.columns().forEach(c -> columns.put(c.name(), c));
        if (!columns.containsKey(keyColumn)) {
            throw new IncompatibleDatabaseException("table " + table.name() + " has no column " + keyColumn);
        }
        this.links.forEach(l -> linkFields.add(l.field()));
    }

    /** The table. */
    public Table table() {
        return table;
    }

    /** The links, in the order their fields follow the columns. */
    public List<LinkTable> links() {
        return links;
    }

    /** Whether the field is one of the links' list fields. */
    public boolean isLinkField(String field) {
        return linkFields.contains(field);
    }

    /**
     * Reads every row in key order, each column's value as the dialect reads it and then passed through
     * {@code toDocument} (a foreign key becomes a {@link Reference}'s document form, say), followed by its links.
     * Memory stays bounded however many rows the table holds: the rows are streamed, or read in pages of keys where the
     * engine's driver cannot stream several results at once (MySQL, MariaDB), all inside the caller's transaction.
     */
    public void export(BiFunction<Column, Object, Object> toDocument, Consumer<Row> sink) {
        List<Column> all = table.columns();
        OrderedRows.read(context, table, keyColumn, links, (values, linked) -> {
            Row.Builder row = Row.builder();
            for (int i = 0; i < values.length; i++) {
                row.put(all.get(i).name(), toDocument.apply(all.get(i), values[i]));
            }
            for (int l = 0; l < linked.size(); l++) {
                row.put(links.get(l).field(), linked.get(l));
            }
            sink.accept(row.build());
        });
    }

    /**
     * Reads the target's rows whose {@code column} holds one of {@code values}, with their links, as
     * {@link #export} writes them, in key order: one query for the rows and one per link table, for an import that
     * compares the backup with the target a batch at a time ({@link SectionRun#exportRows(Collection, Consumer)}).
     * The caller bounds the batch; a value no row holds is left out.
     */
    public void exportWhere(String column, Collection<?> values, BiFunction<Column, Object, Object> toDocument,
                            Consumer<Row> sink) {
        if (values.isEmpty()) {
            return;
        }
        Column match = columns.get(column);
        if (match == null) {
            throw new IncompatibleDatabaseException("table " + table.name() + " has no column " + column);
        }
        Dialect d = context.dialect();
        List<Column> all = table.columns();
        String select = "SELECT " + String.join(", ", all.stream().map(c -> d.quote(c.name())).toList()) + " FROM "
                + d.quote(table.name()) + " WHERE " + d.quote(match.name()) + " IN ("
                + String.join(", ", Collections.nCopies(values.size(), "?")) + ") ORDER BY " + d.quote(keyColumn);
        int keyIndex = all.indexOf(columns.get(keyColumn));
        List<Row.Builder> found = new ArrayList<>();
        List<Long> owners = new ArrayList<>();
        try (PreparedStatement statement = context.handle().orElseThrow().getConnection().prepareStatement(select)) {
            int parameter = 1;
            for (Object value : values) {
                statement.setObject(parameter++, d.toDatabase(value, match));
            }
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    Row.Builder row = Row.builder();
                    for (int i = 0; i < all.size(); i++) {
                        row.put(all.get(i).name(), toDocument.apply(all.get(i), d.read(rows, i + 1, all.get(i))));
                    }
                    found.add(row);
                    // A key that is not an integer has no links, and is not read as one.
                    if (!links.isEmpty()) {
                        owners.add(rows.getLong(keyIndex + 1));
                    }
                }
            }
        } catch (SQLException e) {
            throw new DatabaseAccessException("table " + table.name() + ": " + e.getMessage(), e);
        }
        LinkTable.addLinks(links, found, owners, context, sink);
    }

    /**
     * Checks a backup row against the target's columns: each field but the links' and the {@code skipped} ones is a
     * column whose type holds the value ({@link ColumnValues#check}), and every NOT NULL column without a default
     * has a field.
     *
     * @throws IncompatibleDatabaseException when the target has no such column or the row lacks a required one
     */
    public void checkColumns(Row row, String place, Predicate<String> skipped) {
        for (int f = 0; f < row.size(); f++) {
            String name = row.name(f);
            if (linkFields.contains(name) || skipped.test(name)) {
                continue;
            }
            Column column = columns.get(name);
            if (column == null) {
                throw new IncompatibleDatabaseException(place + "." + name + ": table " + table.name() + " has no column " + name);
            }
            ColumnValues.check(row.value(f), column, table.name(), place, name, context);
        }
        for (Column column : table.columns()) {
            if (column.notNull() && !column.hasDefault() && !row.has(column.name())) {
                throw new IncompatibleDatabaseException(place + ": column " + table.name() + "." + column.name()
                        + " is NOT NULL and the backup has no value for it");
            }
        }
    }

    /**
     * Adds the row's column fields to {@code writes}: an insert when the target lacked the row when the import began,
     * else an upsert by key. {@code toTarget} gives each field's value as the column stores it.
     */
    public void writeColumns(Row row, boolean existed, BiFunction<String, Object, Object> toTarget, BatchedWrites writes)
            throws SQLException {
        Dialect d = context.dialect();
        List<String> names = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        for (int f = 0; f < row.size(); f++) {
            String name = row.name(f);
            if (!linkFields.contains(name)) {
                names.add(name);
                values.add(toTarget.apply(name, row.value(f)));
            }
        }
        String upsert = upsertSql.computeIfAbsent(names, n -> d.upsert(table.name(), n, List.of(keyColumn)));
        String insert = insertSql.computeIfAbsent(names, n -> d.insert(table.name(), n));
        // Both forms take their place in the flush order before the statements of the row's links.
        writes.register(insert);
        writes.register(upsert);
        writes.add(existed ? upsert : insert, values.toArray());
    }

    /**
     * Sets the row's links to exactly the backup's ({@link LinkTable#sync}): links the target has already stay as
     * they are, so importing a backup twice changes nothing.
     */
    public void writeLinks(long owner, Row row, boolean existed, BatchedWrites writes) throws SQLException {
        for (LinkTable link : links) {
            link.sync(owner, row, existed, writes, context);
        }
    }

    /** The column's value as the column stores it: {@link Dialect#toDatabase}, for {@link #writeColumns}. */
    public Object toDatabase(String column, Object value) {
        return context.dialect().toDatabase(value, columns.get(column));
    }

    /** Closes the links' statements; call in {@link SectionRun#afterWrite}, after the writes were flushed. */
    public void closeStatements() throws SQLException {
        for (LinkTable link : links) {
            link.closeStatements();
        }
    }
}
