package io.djangouserbackup.core.mappers;

import io.djangouserbackup.core.DatabaseAccessException;
import io.djangouserbackup.core.IncompatibleDatabaseException;
import io.djangouserbackup.core.ImportMode;
import io.djangouserbackup.core.InvalidBackupException;
import io.djangouserbackup.core.spi.BatchedWrites;
import io.djangouserbackup.core.spi.Column;
import io.djangouserbackup.core.spi.ColumnValues;
import io.djangouserbackup.core.spi.Dialect;
import io.djangouserbackup.core.spi.LinkTable;
import io.djangouserbackup.core.spi.PrimaryKey;
import io.djangouserbackup.core.spi.RowRemoval;
import io.djangouserbackup.core.spi.MapperContext;
import io.djangouserbackup.core.spi.RowAction;
import io.djangouserbackup.core.spi.SectionRun;
import io.djangouserbackup.core.spi.Table;
import io.djangouserbackup.core.spi.TextIdentity;
import io.djangouserbackup.model.Row;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A section backed by one table with an integer {@code id}, every column a field, plus many-to-many links as
 * list fields. Rows keep their ids; an import upserts by id and sets each row's links to exactly the backup's.
 * A composition of the public parts of {@code spi}, the same a hand-written or included table's mapper uses:
 * {@link PrimaryKey} (identity by id), {@link TextIdentity} (a second identity by a unique text, with the target's
 * collation), {@link LinkTable} (links), {@link RowRemoval} (replace) and {@link BatchedWrites}.
 */
abstract class IdTableRun implements SectionRun {

    protected final MapperContext context;
    protected final String section;
    private Table table;
    private List<LinkTable> links;
    private PrimaryKey primaryKey;
    private List<Object> absent = List.of();
    private BatchedWrites batch;
    private final Map<List<String>, String> upsertSql = new HashMap<>();
    private final Map<List<String>, String> insertSql = new HashMap<>();

    IdTableRun(MapperContext context, String section) {
        this.context = context;
        this.section = section;
    }

    /** The table, or null when the database has none (then the section must be empty). */
    protected abstract Table findTable();

    /** The link fields of the table. */
    protected abstract List<LinkTable> findLinks(Table table);

    /** Checks the column fields of a row when there is no database to compare with. */
    protected void checkWithoutDatabase(Row row, String place) {
        for (int f = 0; f < row.size(); f++) {
            String name = row.name(f);
            Object value = row.value(f);
            if (!isLinkField(name) && (value instanceof Row || value instanceof List)) {
                throw new InvalidBackupException(place + "." + name, "expected a single value, got "
                        + ColumnValues.jsonType(value));
            }
        }
    }

    /** The links a row of this section has when there is no database to ask (only field and kind are used). */
    protected abstract List<LinkTable> linksWithoutDatabase();

    /**
     * The column that says which thing a row is, besides its id (a user's {@code username}, a model's unique
     * {@code name}), or null. A merge refuses to update a target row whose identity differs from the backup's:
     * that is another user that happens to have the same id, and overwriting it would lose it.
     */
    protected String identityColumn() {
        return null;
    }

    private TextIdentity identity;
    private boolean identityMade;

    /** The identity check of {@link #identityColumn()}, or null when the table has none. */
    private TextIdentity identity() {
        if (!identityMade) {
            identityMade = true;
            String column = identityColumn();
            if (column != null) {
                boolean database = context.handle().isPresent() && table() != null;
                identity = new TextIdentity(context, section, database ? table : null, database ? primaryKey() : null, column);
            }
        }
        return identity;
    }

    /** A hook for checks against the target that only one kind of table needs. */
    protected void checkAgainstTarget(Row row, String place, long id, RowAction action) {
    }

    protected final List<LinkTable> links() {
        resolve();
        return links;
    }

    protected final Table table() {
        resolve();
        return table;
    }

    private boolean resolved;
    private final Map<String, Column> columnsByName = new HashMap<>();

    private void resolve() {
        if (!resolved) {
            table = findTable();
            links = table == null ? List.of() : findLinks(table);
            if (table != null) {
                table.columns().forEach(c -> columnsByName.put(c.name(), c));
            }
            resolved = true;
        }
    }

    private java.util.Set<String> linkFields;

    private boolean isLinkField(String name) {
        if (linkFields == null) {
            List<LinkTable> known = context.handle().isEmpty() ? linksWithoutDatabase() : links();
            linkFields = new java.util.HashSet<>();
            known.forEach(l -> linkFields.add(l.field()));
        }
        return linkFields.contains(name);
    }

    @Override
    public Table sourceTable() {
        return table();
    }

    @Override
    public void exportRows(Consumer<Row> sink) {
        resolve();
        if (table == null) {
            return;
        }
        Dialect d = context.dialect();
        Connection connection = context.handle().orElseThrow().getConnection();
        List<Column> columns = table.columns();
        int idIndex = columnIndex(columns, "id");
        String select = "SELECT " + String.join(", ", columns.stream().map(c -> d.quote(c.name())).toList())
                + " FROM " + d.quote(table.name()) + " ORDER BY " + d.quote("id");
        List<LinkTable.Cursor> cursors = new ArrayList<>();
        try (Statement statement = cursor(connection); ResultSet rows = statement.executeQuery(select)) {
            for (LinkTable link : links) {
                cursors.add(link.openCursor(context));
            }
            while (rows.next()) {
                Row.Builder row = Row.builder();
                for (int i = 0; i < columns.size(); i++) {
                    row.put(columns.get(i).name(), d.read(rows, i + 1, columns.get(i)));
                }
                long id = rows.getLong(idIndex);
                for (int l = 0; l < cursors.size(); l++) {
                    row.put(links.get(l).field(), cursors.get(l).take(id));
                }
                sink.accept(row.build());
            }
        } catch (SQLException e) {
            throw new DatabaseAccessException("table " + table.name() + ": " + e.getMessage(), e);
        } finally {
            cursors.forEach(LinkTable.Cursor::close);
        }
    }

    /**
     * A statement for reading a whole table: the server drivers otherwise hold every row of a result in memory
     * before the first one is read (PostgreSQL's streams them in batches inside the export's transaction;
     * MariaDB's streams the result opened last, and buffers the others when another is opened on the same
     * connection). SQLite reads row by row anyway.
     */
    private static Statement cursor(Connection connection) throws SQLException {
        Statement statement = connection.createStatement();
        statement.setFetchSize(1000);
        return statement;
    }

    private static int columnIndex(List<Column> columns, String name) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(name)) {
                return i + 1;
            }
        }
        throw new IncompatibleDatabaseException("a table backed up by id has no column " + name);
    }

    @Override
    public RowAction check(Row row, String place) {
        long id = Fields.requireId(row, place);
        if (!context.references().declareId(section, id)) {
            throw new InvalidBackupException(place + ".id", "id " + id + " appears twice in " + section);
        }
        if (identity() != null) {
            identity.declare(row, place);
        }
        if (context.handle().isEmpty()) {
            for (LinkTable link : linksWithoutDatabase()) {
                if (row.has(link.field())) {
                    link.check(row, place, context);
                }
            }
            checkWithoutDatabase(row, place);
            return RowAction.SKIP;
        }
        resolve();
        if (table == null) {
            throw new IncompatibleDatabaseException(place + ": the target database has no table for " + section);
        }
        for (LinkTable link : links) {
            link.check(row, place, context);
        }
        for (int f = 0; f < row.size(); f++) {
            String name = row.name(f);
            Object value = row.value(f);
            if (isLinkField(name)) {
                continue;
            }
            Column column = columnsByName.get(name);
            if (column == null) {
                throw new IncompatibleDatabaseException(place + "." + name + ": table " + table.name()
                        + " has no column " + name);
            }
            ColumnValues.check(value, column, table.name(), place, name, context);
        }
        for (Column column : table.columns()) {
            if (column.notNull() && !column.hasDefault() && !row.has(column.name())) {
                throw new IncompatibleDatabaseException(place + ": column " + table.name() + "." + column.name()
                        + " is NOT NULL and the backup has no value for it");
            }
        }
        RowAction action = primaryKey().inTarget(id) ? RowAction.UPDATE : RowAction.CREATE;
        if (identity() != null) {
            identity.checkAgainstTarget(row, place, id);
        }
        checkAgainstTarget(row, place, id, action);
        return action == RowAction.UPDATE && context.keepsExisting(section) ? RowAction.SKIP : action;
    }

    /** The table's {@code id}, and which ids the target holds. */
    protected final PrimaryKey primaryKey() {
        if (primaryKey == null) {
            primaryKey = new PrimaryKey(context, table(), "id");
        }
        return primaryKey;
    }

    @Override
    public long absentRows() {
        if (identity() != null) {
            identity.judge();
        }
        if (context.mode() != ImportMode.REPLACE || table() == null) {
            return 0;
        }
        absent = primaryKey().absent(section);
        return absent.size();
    }

    @Override
    public void beforeWrite() {
        removeRows(absent);
        if (identity() != null) {
            identity.parkMoved(batch());
        }
    }

    /**
     * Removes rows by id with their many-to-many links, as Django does when it deletes a row. Any other table
     * still pointing at a removed row fails the foreign key check, and the whole import is rolled back.
     */
    protected final void removeRows(List<?> ids) {
        RowRemoval.remove(context, table(), "id", ids, batch());
    }

    protected final BatchedWrites batch() {
        if (batch == null) {
            batch = new BatchedWrites(context.handle().orElseThrow().getConnection());
        }
        return batch;
    }

    @Override
    public void write(Row row, String place) {
        Dialect d = context.dialect();
        long id = (Long) row.get("id");
        List<String> columns = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        for (int f = 0; f < row.size(); f++) {
            String name = row.name(f);
            Object value = row.value(f);
            if (!isLinkField(name)) {
                columns.add(name);
                values.add(d.toDatabase(value, columnsByName.get(name)));
            }
        }
        String upsert = upsertSql.computeIfAbsent(columns, c -> d.upsert(table.name(), c, List.of("id")));
        String insert = insertSql.computeIfAbsent(columns, c -> d.insert(table.name(), c));
        boolean existed = primaryKey().inTarget(id);
        try {
            boolean kept = existed && context.keepsExisting(section);
            batch().register(insert);
            batch().register(upsert);
            if (!kept) {
                // A row the check pass found missing is inserted, never upserted: if another program wrote one with
                // its id meanwhile (MySQL hands out ids past the ones this import inserts), the import fails rather
                // than overwrite it.
                batch().add(existed ? upsert : insert, values.toArray());
            }
            if (kept) {
                // Written at once, apart: in the section's batch its link statements would stand ahead of a later
                // row's upsert (statements run in first-use order), and MySQL checks foreign keys at each statement.
                try (BatchedWrites links = new BatchedWrites(context.handle().orElseThrow().getConnection())) {
                    for (LinkTable link : links()) {
                        link.sync(id, row, true, links, context);
                    }
                    links.flush();
                }
            } else {
                syncLinks(id, row, existed);
                batch().maybeFlush();
            }
        } catch (SQLException e) {
            throw new DatabaseAccessException(place + ": writing to " + table.name() + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void afterWrite() {
        if (table() == null) {
            return;
        }
        try {
            if (batch != null) {
                batch.flush();
                batch.close();
            }
            for (LinkTable link : links) {
                link.closeStatements();
            }
        } catch (SQLException e) {
            throw new DatabaseAccessException("table " + table.name() + ": writing failed: " + e.getMessage(), e);
        }
        context.dialect().resetSequence(context.handle().orElseThrow(), table.name(), "id");
    }

    /**
     * Sets the row's links to exactly the backup's. Links the target has already are left as they are (same link
     * row, same id), so importing a backup twice changes nothing.
     */
    protected final void syncLinks(long ownerId, Row row, boolean existed) throws SQLException {
        for (LinkTable link : links()) {
            link.sync(ownerId, row, existed, batch(), context);
        }
    }
}
