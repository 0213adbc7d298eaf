package io.djangouserbackup.core.mappers;

import io.djangouserbackup.core.DatabaseAccessException;
import io.djangouserbackup.core.IncompatibleDatabaseException;
import io.djangouserbackup.core.ImportMode;
import io.djangouserbackup.core.InvalidBackupException;
import io.djangouserbackup.core.spi.BatchedWrites;
import io.djangouserbackup.core.spi.ColumnValues;
import io.djangouserbackup.core.spi.LinkTable;
import io.djangouserbackup.core.spi.PrimaryKey;
import io.djangouserbackup.core.spi.RowRemoval;
import io.djangouserbackup.core.spi.MapperContext;
import io.djangouserbackup.core.spi.RowAction;
import io.djangouserbackup.core.spi.SectionRun;
import io.djangouserbackup.core.spi.Table;
import io.djangouserbackup.core.spi.TableRows;
import io.djangouserbackup.core.spi.TextIdentity;
import io.djangouserbackup.core.spi.UniqueValues;
import io.djangouserbackup.model.Row;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Consumer;

/**
 * A section backed by one table with an integer {@code id}, every column a field, plus many-to-many links as
 * list fields. Rows keep their ids; an import upserts by id and sets each row's links to exactly the backup's.
 * A composition of the public parts of {@code spi}, the same a hand-written or included table's mapper uses:
 * {@link PrimaryKey} (identity by id), {@link TextIdentity} (a second identity by a unique text, with the target's
 * collation), {@link UniqueValues} (every other unique column, such as a custom user's unique {@code phone}),
 * {@link LinkTable} (links), {@link RowRemoval} (replace) and {@link BatchedWrites}.
 */
abstract class IdTableRun implements SectionRun {

    protected final MapperContext context;
    protected final String section;
    private Table table;
    private List<LinkTable> links;
    private PrimaryKey primaryKey;
    private List<Object> absent = List.of();
    private BatchedWrites batch;
    private TableRows rows;
    private UniqueValues unique;

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
            // The type first: a link field is looked up only for the few values that are lists or objects.
            if ((value instanceof Row || value instanceof List) && !isLinkField(name)) {
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

    private void resolve() {
        if (!resolved) {
            table = findTable();
            if (table != null) {
                requireIntegerId(table);
            }
            links = table == null ? List.of() : findLinks(table);
            if (table != null) {
                rows = new TableRows(context, table, "id", links);
            }
            resolved = true;
        }
    }

    /**
     * Refuses a table whose {@code id} is not an integer (a {@code UUIDField} primary key): ids, their links and
     * every reference to them are integers here, and reading a UUID as one would lose each row's links.
     */
    private static void requireIntegerId(Table table) {
        java.util.Optional<io.djangouserbackup.core.spi.Column> id = table.column("id");
        if (id.isEmpty() || id.get().type() != io.djangouserbackup.core.spi.ColumnType.INTEGER) {
            String what = id.map(c -> "its primary key id is " + c.declaredType()
                            + ", not an integer (a UUIDField or another non-integer primary key)")
                    .orElse("it has no id column (its primary key has another name)");
            throw new IncompatibleDatabaseException("table " + table.name() + ": " + what + "; django-user-backup"
                    + " handles users, groups and OpenAI models with integer ids (AutoField, BigAutoField) only");
        }
    }

    private java.util.Set<String> linkFields;
    private List<LinkTable> linksToCheck;

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
        if (table != null) {
            rows.export((column, value) -> value, sink);
        }
    }

    /** The column an import matches a backup row to a target row by: {@code id}, unless a section says otherwise. */
    protected String matchColumn() {
        return "id";
    }

    @Override
    public Object matchKey(Row row) {
        return row.get(matchColumn());
    }

    /** The target's rows whose {@link #matchColumn()} holds one of the keys, with their links: one query per table. */
    @Override
    public void exportRows(java.util.Collection<?> keys, Consumer<Row> sink) {
        resolve();
        if (table != null) {
            rows.exportWhere(matchColumn(), keys, (column, value) -> value, sink);
        }
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
            if (linksToCheck == null) {
                // Asked once: the same links for every row (made afresh, they were a tenth of a verify's garbage).
                linksToCheck = linksWithoutDatabase();
            }
            for (LinkTable link : linksToCheck) {
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
        rows.checkColumns(row, place, field -> false);
        RowAction action = primaryKey().inTarget(id) ? RowAction.UPDATE : RowAction.CREATE;
        if (identity() != null) {
            identity.checkAgainstTarget(row, place, id);
        }
        uniqueValues().add(row, id, place, (column, value) -> context.dialect().toDatabase(value,
                table.column(column).orElseThrow()));
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

    /** The table's unique columns other than its id and identity column, checked against the backup and target. */
    private UniqueValues uniqueValues() {
        if (unique == null) {
            UniqueValues all = UniqueValues.of(context, table(), "id");
            unique = identity() == null ? all : all.without(identity.column());
        }
        return unique;
    }

    @Override
    public long absentRows() {
        if (identity() != null) {
            identity.judge();
        }
        if (context.mode() == ImportMode.REPLACE && table() != null && context.handle().isPresent()) {
            absent = primaryKey().absent(section);
        }
        if (unique != null) {
            java.util.Set<Object> removed = new java.util.HashSet<>(absent);
            unique.judge(removed::contains);
        }
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
        long id = (Long) row.get("id");
        boolean existed = primaryKey().inTarget(id);
        try {
            if (existed && context.keepsExisting(section)) {
                // Only its links are written, at once and apart: in the section's batch they would stand ahead of a
                // later row's upsert (statements run in first-use order), and MySQL checks foreign keys at each statement.
                try (BatchedWrites links = new BatchedWrites(context.handle().orElseThrow().getConnection())) {
                    rows.writeLinks(id, row, true, links);
                    links.flush();
                }
                return;
            }
            rows.writeColumns(row, existed, rows::toDatabase, batch());
            syncLinks(id, row, existed);
            batch().maybeFlush();
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
            rows.closeStatements();
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
        resolve();
        rows.writeLinks(ownerId, row, existed, batch());
    }
}
