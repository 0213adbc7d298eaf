package io.djangouserbackup.core.spi;

import io.djangouserbackup.core.DatabaseAccessException;
import io.djangouserbackup.core.IncompatibleDatabaseException;
import io.djangouserbackup.core.InvalidBackupException;
import io.djangouserbackup.model.Row;
import io.djangouserbackup.model.Sections;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A many-to-many link table seen from its owner: the owner's rows carry the linked rows as a list field, each
 * written as its {@link Reference} says (a user's {@code groups} by name, its {@code user_permissions} by natural
 * key, a model's {@code assigned_users} by id). Exports the lists in owner order, checks them, and sets each
 * owner's links to exactly the backup's, leaving links the target has already untouched (same link row, same
 * id), so importing a backup twice changes nothing.
 *
 * <pre>{@code
 * LinkTable groups = LinkTable.find(context.schema(), "groups", "auth_user", "auth_group", Reference.groups());
 * }</pre>
 */
public final class LinkTable {

    private final String field;
    private final Table table;
    private final String ownerColumn;
    private final String targetColumn;
    private final Reference reference;

    private LinkTable(String field, Table table, String ownerColumn, String targetColumn, Reference reference) {
        this.field = Objects.requireNonNull(field, "field");
        this.table = table;
        this.ownerColumn = ownerColumn;
        this.targetColumn = targetColumn;
        this.reference = Objects.requireNonNull(reference, "reference");
    }

    /** A link known only by field and reference, for checking a backup without a database. */
    public static LinkTable forCheck(String field, Reference reference) {
        return new LinkTable(field, null, null, null, reference);
    }

    /** The link table {@code table}, from its {@code ownerColumn} to its {@code targetColumn}. */
    public static LinkTable of(String field, Table table, String ownerColumn, String targetColumn, Reference reference) {
        return new LinkTable(field, Objects.requireNonNull(table, "table"), Objects.requireNonNull(ownerColumn, "ownerColumn"),
                Objects.requireNonNull(targetColumn, "targetColumn"), reference);
    }

    /**
     * The one link table between {@code owner} and {@code target} (an {@code id} and one foreign key to each, as
     * Django makes them), or {@code null} when there is none.
     *
     * @throws IncompatibleDatabaseException when there are several
     */
    public static LinkTable find(SchemaCatalog schema, String field, String owner, String target, Reference reference) {
        List<Table> candidates = schema.linkTables(owner, target);
        if (candidates.isEmpty()) {
            return null;
        }
        if (candidates.size() > 1) {
            throw new IncompatibleDatabaseException("tables " + candidates.stream().map(Table::name).toList() + " all link "
                    + owner + " to " + target + "; cannot tell which holds " + field);
        }
        Table table = candidates.get(0);
        return of(field, table, table.foreignKeysTo(owner).get(0).column(), table.foreignKeysTo(target).get(0).column(), reference);
    }

    /** The list field of the owner's rows. */
    public String field() {
        return field;
    }

    /** The link table, or {@code null} for a link made with {@link #forCheck}. */
    public Table table() {
        return table;
    }

    /** The column that points at the owner. */
    public String ownerColumn() {
        return ownerColumn;
    }

    /** The column that points at the far side. */
    public String targetColumn() {
        return targetColumn;
    }

    /** How the far side is written in the document. */
    public Reference reference() {
        return reference;
    }

    /**
     * Opens a cursor over every link, in owner order, for an export that walks the owners in id order too
     * (one query per link table, however many owners).
     */
    public Cursor openCursor(MapperContext context) {
        Dialect d = context.dialect();
        String sql = "SELECT " + d.quote(ownerColumn) + ", " + d.quote(targetColumn) + " FROM " + d.quote(table.name())
                + " ORDER BY " + d.quote(ownerColumn);
        try {
            Statement statement = context.handle().orElseThrow().getConnection().createStatement();
            // The server drivers would otherwise hold every link in memory before the first is read.
            statement.setFetchSize(1000);
            return new Cursor(context, statement, statement.executeQuery(sql));
        } catch (SQLException e) {
            throw new DatabaseAccessException("table " + table.name() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Opens a cursor over the links of the given owners only, in owner order: one query for a batch of owners, as
     * a plan compares a batch of the backup's rows with the target's.
     */
    public Cursor openCursor(MapperContext context, java.util.Collection<Long> owners) {
        Dialect d = context.dialect();
        // No owners: a list no key is in, which every engine accepts.
        String list = owners.isEmpty() ? "NULL" : String.join(", ", java.util.Collections.nCopies(owners.size(), "?"));
        String sql = "SELECT " + d.quote(ownerColumn) + ", " + d.quote(targetColumn) + " FROM " + d.quote(table.name())
                + " WHERE " + d.quote(ownerColumn) + " IN (" + list + ") ORDER BY " + d.quote(ownerColumn);
        PreparedStatement statement = null;
        try {
            statement = context.handle().orElseThrow().getConnection().prepareStatement(sql);
            int parameter = 1;
            for (long owner : owners) {
                statement.setLong(parameter++, owner);
            }
            return new Cursor(context, statement, statement.executeQuery());
        } catch (SQLException e) {
            closeQuietly(statement);
            throw new DatabaseAccessException("table " + table.name() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Completes a batch of owner rows with each link's list, one query per link table for the whole batch, and hands
     * them on in order: {@code rows.get(i)} is the row of owner {@code owners.get(i)}, the owners in ascending order.
     */
    public static void addLinks(List<LinkTable> links, List<Row.Builder> rows, List<Long> owners, MapperContext context,
                                java.util.function.Consumer<Row> sink) {
        List<Cursor> cursors = new ArrayList<>();
        try {
            for (LinkTable link : links) {
                cursors.add(link.openCursor(context, owners));
            }
            for (int r = 0; r < rows.size(); r++) {
                for (int l = 0; l < cursors.size(); l++) {
                    rows.get(r).put(links.get(l).field(), cursors.get(l).take(owners.get(r)));
                }
                sink.accept(rows.get(r).build());
            }
        } finally {
            cursors.forEach(Cursor::close);
        }
    }

    private static void closeQuietly(Statement statement) {
        if (statement != null) {
            try {
                statement.close();
            } catch (SQLException ignored) {
                // A read-only statement that failed already: closing it cannot lose data.
            }
        }
    }

    /** Walks the links of all owners in owner order, alongside the owners themselves. */
    public final class Cursor implements AutoCloseable {
        private final MapperContext context;
        private final Statement statement;
        private final ResultSet rs;
        private boolean hasRow;

        private Cursor(MapperContext context, Statement statement, ResultSet rs) throws SQLException {
            this.context = context;
            this.statement = statement;
            this.rs = rs;
            this.hasRow = rs.next();
        }

        /** The document values of the owner's links, sorted the same way on every engine. */
        public List<Object> take(long ownerId) {
            List<Object> values = new ArrayList<>();
            try {
                while (hasRow && rs.getLong(1) < ownerId) {
                    hasRow = rs.next();
                }
                while (hasRow && rs.getLong(1) == ownerId) {
                    values.add(reference.toDocument(rs.getLong(2), context));
                    hasRow = rs.next();
                }
            } catch (SQLException e) {
                throw new DatabaseAccessException("table " + table.name() + ": " + e.getMessage(), e);
            }
            return sorted(values);
        }

        @Override
        public void close() {
            try {
                statement.close();
            } catch (SQLException ignored) {
                // Closing a read-only cursor cannot lose data.
            }
        }
    }

    /**
     * The links of the owners {@code first} to {@code last}, for an export that reads its owners a page at a time
     * ({@link TableRows#export}): read as they are taken, at most {@code chunk} link rows per query, each result read
     * whole before the next query is sent, so that an owner with a million links never has more than its own list in
     * memory. Close it once the page is done.
     */
    Page openPage(MapperContext context, long first, long last, int chunk) {
        return new Page(context, first, last, chunk);
    }

    /**
     * The links of a page of owners, taken owner by owner in ascending order, as from a {@link Cursor}. The link
     * rows are read in {@code (owner, target)} order (Django's unique index on the pair), each chunk from where the
     * last one ended.
     */
    final class Page implements AutoCloseable {
        private final MapperContext context;
        private final long first;
        private final long last;
        private final int chunk;
        private final long[] owners;
        private final long[] targets;
        private int size;
        private int next;
        private boolean started;
        private boolean exhausted;
        private long boundaryOwner;
        private long boundaryTarget;
        /** How many link rows equal to the boundary pair were read: the next chunk starts at the pair again. */
        private int boundaryCount;
        private PreparedStatement firstChunk;
        private PreparedStatement nextChunk;

        private Page(MapperContext context, long first, long last, int chunk) {
            this.context = context;
            this.first = first;
            this.last = last;
            this.chunk = chunk;
            this.owners = new long[chunk];
            this.targets = new long[chunk];
        }

        /** The document values of the owner's links, sorted as {@link Cursor#take} sorts them. */
        List<Object> take(long ownerId) throws SQLException {
            List<Object> values = new ArrayList<>();
            while (next < size || fill()) {
                if (owners[next] < ownerId) {
                    next++;
                } else if (owners[next] == ownerId) {
                    values.add(reference.toDocument(targets[next], context));
                    next++;
                } else {
                    break;
                }
            }
            return sorted(values);
        }

        /** Reads the next chunk; false when there is none. */
        private boolean fill() throws SQLException {
            if (exhausted) {
                return false;
            }
            Dialect d = context.dialect();
            String select = "SELECT " + d.quote(ownerColumn) + ", " + d.quote(targetColumn) + " FROM " + d.quote(table.name());
            String order = " ORDER BY " + d.quote(ownerColumn) + ", " + d.quote(targetColumn) + " LIMIT ?";
            Connection connection = context.handle().orElseThrow().getConnection();
            PreparedStatement statement;
            int limit;
            if (!started) {
                if (firstChunk == null) {
                    firstChunk = connection.prepareStatement(select + " WHERE " + d.quote(ownerColumn) + " >= ? AND "
                            + d.quote(ownerColumn) + " <= ?" + order);
                }
                statement = firstChunk;
                limit = chunk;
                statement.setLong(1, first);
                statement.setLong(2, last);
                statement.setInt(3, limit);
                started = true;
            } else {
                if (nextChunk == null) {
                    nextChunk = connection.prepareStatement(select + " WHERE (" + d.quote(ownerColumn) + " = ? AND "
                            + d.quote(targetColumn) + " >= ?) OR (" + d.quote(ownerColumn) + " > ? AND "
                            + d.quote(ownerColumn) + " <= ?)" + order);
                }
                statement = nextChunk;
                // Starting at the boundary pair again (a table without Django's unique index may list a pair twice):
                // the rows of it already read are skipped, and the limit leaves room for a whole chunk after them.
                limit = chunk + boundaryCount;
                statement.setLong(1, boundaryOwner);
                statement.setLong(2, boundaryTarget);
                statement.setLong(3, boundaryOwner);
                statement.setLong(4, last);
                statement.setInt(5, limit);
            }
            size = 0;
            next = 0;
            int returned = 0;
            int skip = boundaryCount;
            int sameAsLast = 0;
            long lastOwner = 0;
            long lastTarget = 0;
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    long owner = rs.getLong(1);
                    long target = rs.getLong(2);
                    returned++;
                    sameAsLast = returned > 1 && owner == lastOwner && target == lastTarget ? sameAsLast + 1 : 1;
                    lastOwner = owner;
                    lastTarget = target;
                    if (skip > 0 && owner == boundaryOwner && target == boundaryTarget) {
                        skip--;
                        continue;
                    }
                    owners[size] = owner;
                    targets[size] = target;
                    size++;
                }
            }
            exhausted = returned < limit;
            if (returned > 0) {
                boundaryOwner = lastOwner;
                boundaryTarget = lastTarget;
                boundaryCount = sameAsLast;
            }
            return size > 0;
        }

        @Override
        public void close() throws SQLException {
            try (PreparedStatement a = firstChunk; PreparedStatement b = nextChunk) {
                firstChunk = null;
                nextChunk = null;
            }
        }
    }

    private static List<Object> sorted(List<Object> values) {
        if (values.size() > 1) {
            values.sort(DOCUMENT_ORDER);
        }
        return values;
    }

    /** Numbers by value, texts by code unit, key objects field by field: the same on every engine. */
    private static final Comparator<Object> DOCUMENT_ORDER = LinkTable::compareValues;

    private static int compareValues(Object a, Object b) {
        if (a instanceof Long x && b instanceof Long y) {
            return Long.compare(x, y);
        }
        if (a instanceof Row x && b instanceof Row y) {
            for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
                int c = compareValues(x.value(i), y.value(i));
                if (c != 0) {
                    return c;
                }
            }
            return Integer.compare(x.size(), y.size());
        }
        return String.valueOf(a).compareTo(String.valueOf(b));
    }

    /** Checks the link list of one row: each entry must name a row the backup holds, once. */
    public void check(Row row, String place, MapperContext context) {
        if (!row.has(field)) {
            throw new InvalidBackupException(place + "." + field, "missing");
        }
        if (!(row.get(field) instanceof List<?> values)) {
            throw new InvalidBackupException(place + "." + field, "expected an array, got " + ColumnValues.jsonType(row.get(field)));
        }
        // A row links to a few rows: the keys before are compared one by one, without a hash set for every row.
        int size = values.size();
        Object[] keys = size > 1 ? new Object[Math.min(size, FEW)] : null;
        Set<Object> seen = size > FEW ? new HashSet<>() : null;
        StringBuilder elementPlace = size == 0 ? null : new StringBuilder(place.length() + field.length() + 16)
                .append(place).append('.').append(field).append('[');
        int prefix = elementPlace == null ? 0 : elementPlace.length();
        for (int i = 0; i < size; i++) {
            // Built with a StringBuilder: the same text as a concatenation, whose method handles C2 inlines here
            // at great length (half of a 100,000-user verify's compile time was this one method).
            elementPlace.setLength(prefix);
            String at = elementPlace.append(i).append(']').toString();
            Object key = reference.check(values.get(i), at, context);
            if (seen != null ? !seen.add(key) : keys != null && listedBefore(keys, i, key)) {
                throw new InvalidBackupException(at, "listed twice");
            }
        }
    }

    private static final int FEW = 8;

    /** Whether {@code key} equals one of the first {@code count} keys; else it is kept as the next one. */
    private static boolean listedBefore(Object[] keys, int count, Object key) {
        for (int k = 0; k < count; k++) {
            if (Objects.equals(keys[k], key)) {
                return true;
            }
        }
        keys[count] = key;
        return false;
    }

    private String currentTargetsSql;
    private String deleteOneSql;
    private String insertSql;
    private PreparedStatement currentTargets;

    /**
     * Sets the owner's links to exactly the row's list, through the batch. Links the target has already are left
     * as they are, and so are links to users a selective import does not restore
     * ({@link MapperContext#isSelectedUser}).
     *
     * @param existed whether the owner was in the target before (else it has no links to compare with)
     */
    public void sync(long ownerId, Row row, boolean existed, BatchedWrites writes, MapperContext context) throws SQLException {
        Dialect d = context.dialect();
        Set<Long> wanted = new LinkedHashSet<>();
        for (Object value : (List<?>) row.get(field)) {
            wanted.add(((Number) reference.toTarget(value, context)).longValue());
        }
        if (existed) {
            if (currentTargets == null) {
                currentTargetsSql = "SELECT " + d.quote(targetColumn) + " FROM " + d.quote(table.name()) + " WHERE "
                        + d.quote(ownerColumn) + " = ?";
                currentTargets = context.handle().orElseThrow().getConnection().prepareStatement(currentTargetsSql);
            }
            currentTargets.setLong(1, ownerId);
            try (ResultSet rs = currentTargets.executeQuery()) {
                while (rs.next()) {
                    long target = rs.getLong(1);
                    // A selective import leaves the links to users it does not restore as they are.
                    boolean untouchable = Sections.USERS.equals(reference.section()) && !context.isSelectedUser(target);
                    if (!wanted.remove(target) && !untouchable) {
                        if (deleteOneSql == null) {
                            deleteOneSql = "DELETE FROM " + d.quote(table.name()) + " WHERE " + d.quote(ownerColumn) + " = ? AND "
                                    + d.quote(targetColumn) + " = ?";
                        }
                        writes.add(deleteOneSql, ownerId, target);
                    }
                }
            }
        }
        for (long target : wanted) {
            if (insertSql == null) {
                insertSql = "INSERT INTO " + d.quote(table.name()) + " (" + d.quote(ownerColumn) + ", " + d.quote(targetColumn)
                        + ") VALUES (?, ?)";
            }
            writes.add(insertSql, ownerId, target);
        }
    }

    /** Closes what {@link #sync} prepared; call once the section is written. */
    public void closeStatements() throws SQLException {
        if (currentTargets != null) {
            currentTargets.close();
            currentTargets = null;
        }
    }
}
