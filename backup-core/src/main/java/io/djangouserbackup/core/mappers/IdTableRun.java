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
import io.djangouserbackup.core.spi.TextCollisions;
import io.djangouserbackup.model.Row;
import java.sql.Connection;
import java.sql.PreparedStatement;
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
 * Built from the public parts of {@code spi}: {@link PrimaryKey} (identity), {@link LinkTable} (links),
 * {@link RowRemoval} (replace) and {@link BatchedWrites}; what remains here is the check of a second identity
 * column (a user's username) and of texts the target's collation holds as one.
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

    private PreparedStatement identityById;

    private void checkSameRow(Row row, String place, long id) {
        String column = identityColumn();
        if (column == null || !columnsByName.containsKey(column) || !row.has(column)) {
            return;
        }
        Dialect d = context.dialect();
        try {
            if (identityById == null) {
                identityById = context.handle().orElseThrow().getConnection().prepareStatement("SELECT " + d.quote(column)
                        + " FROM " + d.quote(table.name()) + " WHERE " + d.quote("id") + " = ?");
            }
            identityById.setLong(1, id);
            try (ResultSet rs = identityById.executeQuery()) {
                if (rs.next()) {
                    Object target = d.read(rs, 1, columnsByName.get(column));
                    if (!java.util.Objects.equals(target, row.get(column)) && context.keepsExisting(section)) {
                        // A selective import does not overwrite the row, whatever it is called now (renamed since).
                        context.note(section + ": " + table.name() + " id " + id + " is " + column + " '" + target
                                + "' in the target database but '" + row.get(column) + "' in the backup; kept as it is,"
                                + " the selected users' links restored to it");
                    } else if (!java.util.Objects.equals(target, row.get(column))) {
                        throw new IncompatibleDatabaseException(place + ": " + table.name() + " id " + id + " is " + column
                                + " '" + target + "' in the target database but '" + row.get(column) + "' in the backup;"
                                + " a merge would overwrite a different row (replace mode makes the target exactly the backup)");
                    }
                }
            }
        } catch (SQLException e) {
            throw new DatabaseAccessException(place + ": reading " + table.name() + " failed: " + e.getMessage(), e);
        }
    }

    private PreparedStatement idByIdentity;
    private final List<long[]> identityClashes = new ArrayList<>();
    private final List<String> identityClashPlaces = new ArrayList<>();

    /** Notes a target row that has this row's identity under another id; judged once all ids are known. */
    private void checkIdentityFree(Row row, String place, long id) {
        String column = identityColumn();
        if (column == null || !columnsByName.containsKey(column) || row.get(column) == null || primaryKey().targetSize() == 0) {
            // An empty target (a freshly migrated database) holds nothing to clash with.
            return;
        }
        Dialect d = context.dialect();
        try {
            if (idByIdentity == null) {
                idByIdentity = context.handle().orElseThrow().getConnection().prepareStatement("SELECT " + d.quote("id")
                        + " FROM " + d.quote(table.name()) + " WHERE " + d.quote(column) + " = ?");
            }
            Long owner = lookupId(idByIdentity, d.toDatabase(row.get(column), columnsByName.get(column)));
            if (owner != null && owner != id) {
                identityClashes.add(new long[] {id, owner});
                identityClashPlaces.add(place + "." + column + ": '" + row.get(column) + "'");
            }
        } catch (SQLException e) {
            throw new DatabaseAccessException(place + ": reading " + table.name() + " failed: " + e.getMessage(), e);
        }
    }

    /** Target rows whose identity a replace moves to another id: parked under a placeholder before writing. */
    private final java.util.SortedSet<Long> parkedOwners = new java.util.TreeSet<>();

    /**
     * A target row holding a backup row's identity under another id blocks a merge. A replace removes that row
     * first when it is not in the backup; when it is (two rows swap usernames, say), the row's identity is
     * parked under a placeholder before writing, and its own row from the backup then overwrites it.
     */
    private void judgeIdentityClashes() {
        closeQuietly(idByIdentity);
        idByIdentity = null;
        for (int i = 0; i < identityClashes.size(); i++) {
            long owner = identityClashes.get(i)[1];
            boolean replace = context.mode() == ImportMode.REPLACE;
            boolean freed = replace && !context.references().isDeclaredId(section, owner);
            if (replace && !freed) {
                parkedOwners.add(owner);
                freed = true;
            }
            if (!freed) {
                throw new IncompatibleDatabaseException(identityClashPlaces.get(i) + " belongs to " + table.name() + " id "
                        + owner + " in the target database, but to id " + identityClashes.get(i)[0] + " in the backup;"
                        + " two rows cannot share a " + identityColumn());
            }
        }
    }

    /** A hook for checks against the target that only one kind of table needs. */
    protected void checkAgainstTarget(Row row, String place, long id, RowAction action) {
    }

    /** A hook called once all rows were checked, before absent rows are counted. */
    protected void allChecked() {
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
                Row.Builder row = readColumns(rows, columns);
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
        if (table == null || keys.isEmpty()) {
            return;
        }
        Dialect d = context.dialect();
        List<Column> columns = table.columns();
        int idIndex = columnIndex(columns, "id");
        Column match = columnsByName.get(matchColumn());
        String select = "SELECT " + String.join(", ", columns.stream().map(c -> d.quote(c.name())).toList())
                + " FROM " + d.quote(table.name()) + " WHERE " + d.quote(match.name()) + " IN ("
                + String.join(", ", java.util.Collections.nCopies(keys.size(), "?")) + ") ORDER BY " + d.quote("id");
        List<Row.Builder> rows = new ArrayList<>();
        List<Long> ids = new ArrayList<>();
        try (PreparedStatement statement = context.handle().orElseThrow().getConnection().prepareStatement(select)) {
            int parameter = 1;
            for (Object key : keys) {
                statement.setObject(parameter++, d.toDatabase(key, match));
            }
            try (ResultSet found = statement.executeQuery()) {
                while (found.next()) {
                    rows.add(readColumns(found, columns));
                    ids.add(found.getLong(idIndex));
                }
            }
        } catch (SQLException e) {
            throw new DatabaseAccessException("table " + table.name() + ": " + e.getMessage(), e);
        }
        LinkTable.addLinks(links, rows, ids, context, sink);
    }

    private Row.Builder readColumns(ResultSet rows, List<Column> columns) throws SQLException {
        Row.Builder row = Row.builder();
        for (int i = 0; i < columns.size(); i++) {
            row.put(columns.get(i).name(), context.dialect().read(rows, i + 1, columns.get(i)));
        }
        return row;
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
        String identity = identityColumn();
        if (identity != null && row.get(identity) instanceof String value) {
            if (!context.references().declareText(identitySet(identity), value)) {
                throw new InvalidBackupException(place + "." + identity, identity + " '" + value + "' appears twice in " + section);
            }
            checkCollation(identity, value, place);
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
        if (action == RowAction.UPDATE && context.mode() == ImportMode.MERGE) {
            checkSameRow(row, place, id);
        }
        checkIdentityFree(row, place, id);
        checkAgainstTarget(row, place, id, action);
        return action == RowAction.UPDATE && context.keepsExisting(section) ? RowAction.SKIP : action;
    }

    private String identitySet;

    /** The name of the set of identity values ({@code users.username}), made once rather than per row. */
    private String identitySet(String identity) {
        if (identitySet == null) {
            identitySet = section + "." + identity;
        }
        return identitySet;
    }

    /** The table's {@code id}, and which ids the target holds. */
    protected final PrimaryKey primaryKey() {
        if (primaryKey == null) {
            primaryKey = new PrimaryKey(context, table(), "id");
        }
        return primaryKey;
    }

    private final Map<String, TextCollisions> collisions = new HashMap<>();

    /**
     * Adds a unique text of the backup to the check of the target's collation (see {@link TextCollisions}); the
     * texts that collide are reported once all rows were checked. The place is the row's; the field's place is
     * built only for an engine that needs it.
     */
    protected final void checkCollation(String column, String value, String rowPlace) {
        if (context.handle().isEmpty() || table() == null || !columnsByName.containsKey(column)) {
            return;
        }
        if (!collisions.containsKey(column)) {
            // null (kept, so it is asked once) when the engine compares texts exactly.
            collisions.put(column, context.dialect().textCollisions(context.handle().orElseThrow(), table, columnsByName.get(column)));
        }
        TextCollisions check = collisions.get(column);
        if (check != null) {
            check.add(value, rowPlace + "." + column);
        }
    }

    /** Refuses texts of the backup that the target's unique index would hold as one. */
    protected final void judgeCollisions() {
        try {
            for (Map.Entry<String, TextCollisions> entry : collisions.entrySet()) {
                if (entry.getValue() == null) {
                    continue;
                }
                java.util.Optional<TextCollisions.Collision> found = entry.getValue().first();
                if (found.isPresent()) {
                    TextCollisions.Collision c = found.get();
                    throw new IncompatibleDatabaseException(c.secondPlace() + ": '" + c.secondValue() + "' and " + c.firstPlace()
                            + " '" + c.firstValue() + "' are one " + entry.getKey() + " to the target's " + table.name() + "."
                            + entry.getKey() + " (collation " + c.collation() + ", which ignores differences of case, accents"
                            + " or trailing spaces), so it cannot hold both; rename one before importing");
                }
            }
        } finally {
            collisions.values().stream().filter(java.util.Objects::nonNull).forEach(TextCollisions::close);
            collisions.clear();
        }
    }

    @Override
    public long absentRows() {
        judgeCollisions();
        allChecked();
        judgeIdentityClashes();
        closeQuietly(identityById);
        identityById = null;
        if (context.mode() != ImportMode.REPLACE || table() == null) {
            return 0;
        }
        absent = primaryKey().absent(section);
        return absent.size();
    }

    /** Whether the target row with this id is removed by a replace import. */
    protected final boolean isAbsent(long id) {
        return java.util.Collections.binarySearch(absent, id, (a, b) -> Long.compare((Long) a, (Long) b)) >= 0;
    }

    @Override
    public void beforeWrite() {
        removeRows(absent);
        parkIdentities();
    }

    /** Gives each parked row a placeholder identity no backup row has, so unique constraints hold while writing. */
    private void parkIdentities() {
        String column = identityColumn();
        if (column == null || parkedOwners.isEmpty()) {
            return;
        }
        Dialect d = context.dialect();
        try {
            for (long owner : parkedOwners) {
                batch().add("UPDATE " + d.quote(table.name()) + " SET " + d.quote(column) + " = ? WHERE " + d.quote("id") + " = ?",
                        "django-user-backup:parked:" + owner, owner);
                batch().maybeFlush();
            }
            batch().flush();
        } catch (SQLException e) {
            throw new DatabaseAccessException("table " + table.name() + ": moving " + column + " values between rows failed: "
                    + e.getMessage(), e);
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

    private static void closeQuietly(PreparedStatement statement) {
        if (statement != null) {
            try {
                statement.close();
            } catch (SQLException ignored) {
                // A lookup statement: closing it cannot lose data.
            }
        }
    }

    /** Prepared statement helper for lookups by one parameter. */
    protected final Long lookupId(PreparedStatement statement, Object parameter) throws SQLException {
        statement.setObject(1, parameter);
        try (ResultSet rs = statement.executeQuery()) {
            return rs.next() ? rs.getLong(1) : null;
        }
    }
}
