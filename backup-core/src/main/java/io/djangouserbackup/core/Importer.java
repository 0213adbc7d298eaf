package io.djangouserbackup.core;

import io.djangouserbackup.core.internal.CheckPass;
import io.djangouserbackup.core.internal.DocumentReader;
import io.djangouserbackup.core.internal.DocumentWriter;
import io.djangouserbackup.core.internal.FixtureReader;
import io.djangouserbackup.core.internal.FixtureTarget;
import io.djangouserbackup.core.IoReasons;
import io.djangouserbackup.core.internal.KindDifferences;
import io.djangouserbackup.core.internal.OrphanCheck;
import io.djangouserbackup.core.internal.RemovedRows;
import io.djangouserbackup.core.internal.Rollback;
import io.djangouserbackup.core.internal.RowComparison;
import io.djangouserbackup.core.internal.RunContext;
import io.djangouserbackup.core.internal.UserSelection;
import io.djangouserbackup.core.spi.RowAction;
import io.djangouserbackup.core.spi.SectionRun;
import io.djangouserbackup.core.spi.TableMapper;
import io.djangouserbackup.model.BackupHeader;
import io.djangouserbackup.model.Row;
import io.djangouserbackup.model.Sections;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;

/**
 * Restores a backup, all or nothing. The backup is read twice: first every row is checked against the backup's
 * own rules and the target's schema, with nothing written; then, in one transaction, it is written. Any failure
 * rolls everything back. Immutable; {@code with...} returns a copy.
 *
 * <pre>{@code
 * ImportResult result = Importer.of(DjangoDatabase.sqlite(Path.of("db.sqlite3")))
 *         .withMode(ImportMode.REPLACE)
 *         .importFrom(BackupSource.of(Path.of("backup.json")));
 * }</pre>
 */
public final class Importer {
    private final DjangoDatabase database;
    private final ImportMode mode;
    private final List<String> users;

    private Importer(DjangoDatabase database, ImportMode mode, List<String> users) {
        this.database = Objects.requireNonNull(database, "database");
        this.mode = Objects.requireNonNull(mode, "mode");
        this.users = List.copyOf(users);
    }

    /** An importer into the database, in {@link ImportMode#MERGE} mode. */
    public static Importer of(DjangoDatabase database) {
        return new Importer(database, ImportMode.MERGE, List.of());
    }

    /** The same importer in another mode. */
    public Importer withMode(ImportMode mode) {
        return new Importer(database, mode, users);
    }

    /**
     * The same importer restoring only the named users (an empty collection restores the whole backup): each user's
     * own row, group memberships and direct permissions, their OpenAI model assignments, and the rows of included
     * tables that refer to them (directly or through another such row). Groups, permissions and OpenAI models they
     * need are created when the target lacks them; those it has are left as they are, names, permissions and other
     * members included. Every other user and row of the target is untouched, and a model's links to other users stay.
     * A selected user who still exists is updated to the backup's state, under the rules of a merge; one who is gone
     * is recreated with the backup's id, or refused when that id now belongs to someone else.
     *
     * <p>Only {@link ImportMode#MERGE} goes with a selection: a replace would remove everyone else. A username the
     * backup does not hold is refused ({@link InvalidBackupException}, naming it) before anything is written.
     *
     * <pre>{@code
     * ImportResult result = Importer.of(database).withUsers(List.of("alice")).importFrom(BackupSource.of(backup));
     * }</pre>
     */
    public Importer withUsers(java.util.Collection<String> usernames) {
        return new Importer(database, mode, usernames.isEmpty() ? List.of() : new UserSelection(usernames).usernames());
    }

    /** The usernames this importer restores, sorted; empty when it restores the whole backup. */
    public List<String> users() {
        return users;
    }

    /**
     * Checks the whole backup against the target and says what an import would do, writing nothing.
     *
     * @throws InvalidBackupException        for a bad backup, naming the place
     * @throws IncompatibleDatabaseException when the target cannot hold the backup
     * @throws DatabaseAccessException       when the database fails
     */
    public ImportPlan plan(BackupSource source) {
        return withChecked(source, false, checked -> checked.plan(mode));
    }

    /**
     * Checks the whole backup against the target like {@link #plan(BackupSource)}, then says for each user, group
     * and OpenAI model whether the import would create, update (and which fields), leave unchanged or (replace
     * mode) remove it. Writes nothing. The counts are the plan's: both come from one comparison with the target.
     *
     * @throws InvalidBackupException        for a bad backup, naming the place
     * @throws IncompatibleDatabaseException when the target cannot hold the backup
     * @throws DatabaseAccessException       when the database fails
     */
    public ImportReport report(BackupSource source) {
        Objects.requireNonNull(source, "source");
        return withChecked(source, true,
                checked -> new ImportReport(checked.plan(mode), checked.comparison.changes(checked.removed)));
    }

    /**
     * Checks the backup against the target in a transaction that is rolled back, and answers from what the check
     * found; writes nothing. {@code listing} keeps what happens to each row (a dry run's report).
     */
    private <T> T withChecked(BackupSource source, boolean listing, Function<Checked, T> answer) {
        try (Handle handle = database.open(false)) {
            handle.begin();
            return Rollback.after(handle, () -> {
                try (Checked checked = check(handle, source, listing)) {
                    return answer.apply(checked);
                }
            });
        } catch (RuntimeException e) {
            throw failure(e, "nothing was checked");
        }
    }

    /**
     * Checks the backup, then writes it in one transaction.
     *
     * @throws InvalidBackupException        for a bad backup, naming the place; nothing was written
     * @throws IncompatibleDatabaseException when the target cannot hold the backup; nothing was written
     * @throws DatabaseAccessException       when the database fails; everything was rolled back
     */
    public ImportResult importFrom(BackupSource source) {
        Objects.requireNonNull(source, "source");
        try (Handle handle = database.openForWriting()) {
            handle.begin();
            try (Checked checked = check(handle, source, false)) {
                // Children before parents: a section's rows are removed before those of the sections it refers to.
                List<TableMapper> childrenFirst = new java.util.ArrayList<>(checked.mappers);
                java.util.Collections.reverse(childrenFirst);
                for (TableMapper mapper : childrenFirst) {
                    if (checked.pass.has(mapper.section())) {
                        checked.runs.get(mapper.section()).beforeWrite();
                    }
                }
                String written = read(source, checked.only(new WritePass(checked.runs)), checked.context.fixtureTarget());
                if (!written.equals(checked.sha256)) {
                    // The source changed between the two readings; what was checked is not what was read.
                    throw new InvalidBackupException("sha256", "the backup changed while it was imported; nothing was "
                            + "imported");
                }
                commit(handle);
                return new ImportResult(checked.counts(), checked.notes());
            } catch (RuntimeException | Error e) {
                Rollback.afterFailure(handle, e);
                throw e;
            }
        } catch (RuntimeException e) {
            throw failure(e, "nothing was imported");
        }
    }

    /**
     * The exception to throw for a failure: another program's lock that outlasted the timeout says so in one line;
     * the library's own exceptions pass as they are; anything else is a database failure.
     */
    private RuntimeException failure(RuntimeException e, String consequence) {
        if (database.isLocked(e)) {
            return database.locked(e, consequence + " (try again when the other program is done)");
        }
        if (isDuplicateKey(e)) {
            // The check pass found the key free; another program wrote it since (the import never overwrites it).
            return new DatabaseAccessException(database.description() + ": a row with the same key appeared in the target"
                    + " after the backup was checked against it (another program writing?); " + consequence
                    + " (try again when it is done)", e);
        }
        if (database.isConnectionLost(e)) {
            // The server rolls back a transaction whose session is gone: the database holds what it held before.
            return database.connectionLost(e, consequence);
        }
        if (e instanceof BackupException) {
            return e;
        }
        return new DatabaseAccessException(database.description() + ": " + DjangoDatabase.rootMessage(e), e);
    }

    private boolean isDuplicateKey(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof java.sql.SQLException sql) {
                for (java.sql.SQLException next = sql; next != null; next = next.getNextException()) {
                    if (database.dialect().isDuplicateKey(next)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private void commit(Handle handle) {
        java.sql.Connection connection = handle.getConnection();
        try {
            connection.commit();
        } catch (java.sql.SQLException e) {
            List<String> broken = database.dialect().brokenReferences(connection, e);
            if (!broken.isEmpty()) {
                // The check pass refuses a replace that would remove rows other tables point at; what is left is
                // mostly a restored row referring to a table the backup does not hold (a user's team), in either mode.
                throw new IncompatibleDatabaseException("nothing was imported: it would leave rows pointing at rows the"
                        + " target database does not hold (" + String.join(", ", broken) + "): the backup's rows refer to"
                        + " rows of a table it does not hold and the target lacks them (create them first, or back that"
                        + " table up too: export --table), or a replace removed rows that other tables point at (merge"
                        + " instead)");
            }
            throw new DatabaseAccessException("committing the import failed, nothing was imported: " + e.getMessage(), e);
        }
    }

    private record Checked(List<TableMapper> mappers, Map<String, SectionRun> runs, CheckPass pass, RunContext context,
                           Map<String, Long> removed, String sha256, Map<String, List<RowChange>> removedSample,
                           Selected selection, RowComparison comparison) implements AutoCloseable {
        @Override
        public void close() {
            context.close();
        }

        /** What an import in the mode would do, as the check found it. */
        ImportPlan plan(ImportMode mode) {
            return new ImportPlan(pass.header(), mode, counts(), notes(), removedSample);
        }

        /** The handler seeing only the selected rows, or every row when the import is not selective. */
        DocumentReader.Handler only(DocumentReader.Handler handler) {
            return selection == null ? handler : selection.users.filter(handler);
        }

        List<String> notes() {
            if (selection == null) {
                return context.notes();
            }
            List<String> notes = new java.util.ArrayList<>(context.notes());
            notes.addAll(selection.users.notes());
            return notes;
        }

        Map<String, SectionCounts> counts() {
            Map<String, SectionCounts> counts = new LinkedHashMap<>();
            for (TableMapper mapper : mappers) {
                String s = mapper.section();
                if (pass.has(s) && comparison.compared(s)) {
                    counts.put(s, new SectionCounts(pass.rows(s), comparison.count(s, RowChange.Change.CREATED),
                            comparison.count(s, RowChange.Change.UPDATED), comparison.count(s, RowChange.Change.UNCHANGED),
                            removed.getOrDefault(s, 0L)));
                } else if (pass.has(s)) {
                    counts.put(s, new SectionCounts(pass.rows(s), pass.count(s, RowAction.CREATE), pass.count(s, RowAction.UPDATE),
                            pass.count(s, RowAction.SKIP), removed.getOrDefault(s, 0L)));
                }
            }
            return counts;
        }
    }

    /** Checks the backup against the target; {@code listing} keeps what happens to each row (a dry run's report). */
    private Checked check(Handle handle, BackupSource source, boolean listing) {
        RunContext context = new RunContext(handle, database.dialect(), database.userTable(), mode);
        try {
            return check(context, source, listing);
        } catch (RuntimeException e) {
            context.close();
            throw e;
        }
    }

    /** A selective import's selection, once it has seen the backup. */
    private record Selected(UserSelection users) {
        /** Makes the run selective: kept sections stay, only the selected users' links change. */
        void select(RunContext context) {
            context.select(users.keptSections(), users::isSelectedUser);
        }
    }

    /**
     * Reads the backup once to work out which rows belong to the selected users; refuses a replace, a partial
     * backup replacing a database, and a username the backup lacks.
     */
    private Selected select(RunContext context, BackupSource source, List<TableMapper> mappers) {
        if (users.isEmpty()) {
            return null;
        }
        if (mode == ImportMode.REPLACE) {
            throw new IncompatibleDatabaseException("a selective import (of users " + users + ") merges; replace mode "
                    + "would remove every other user");
        }
        UserSelection selection = new UserSelection(users);
        for (TableMapper mapper : mappers) {
            if (mapper instanceof io.djangouserbackup.core.mappers.IncludedTableMapper included) {
                selection.describe(included.section(), included.shape());
            }
        }
        read(source, selection.scanner(), context.fixtureTarget());
        selection.requireAllFound();
        selection.admitWhereTargetHas((section, key) -> inTarget(context, selection, section, key));
        selection.assignedSections().forEach((section, table) -> {
            if (table != null) {
                selection.needAssigned(section, linkedToSelected(context, table, selection.userIds()));
            }
        });
        // What restored rows refer to outside the selection is in the target: declared, so that references check.
        selection.referencedOutside().forEach((section, keys) -> keys.forEach(key -> {
            if (key instanceof Long id) {
                context.references().declareId(section, id);
            } else {
                context.references().declare(section, key);
            }
        }));
        Selected selected = new Selected(selection);
        selected.select(context);
        return selected;
    }

    /** The ids of the table's rows that the target links to one of the users (through its users' link table). */
    private static List<Long> linkedToSelected(RunContext context, String table, java.util.Set<Long> userIds) {
        if (context.schema().table(table).isEmpty()) {
            return List.of();
        }
        io.djangouserbackup.core.spi.LinkTable link = io.djangouserbackup.core.spi.LinkTable.find(context.schema(),
                io.djangouserbackup.core.mappers.ModelTableMapper.ASSIGNED_USERS, table, context.userTable(),
                io.djangouserbackup.core.spi.Reference.users());
        if (link == null) {
            return List.of();
        }
        String sql = "SELECT " + context.dialect().quote(link.ownerColumn()) + " FROM " + context.dialect().quote(link.table().name())
                + " WHERE " + context.dialect().quote(link.targetColumn()) + " = ?";
        List<Long> ids = new java.util.ArrayList<>();
        try (java.sql.PreparedStatement statement = context.handle().orElseThrow().getConnection().prepareStatement(sql)) {
            for (long user : userIds) {
                statement.setLong(1, user);
                try (java.sql.ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getLong(1));
                    }
                }
            }
        } catch (java.sql.SQLException e) {
            throw new DatabaseAccessException("table " + link.table().name() + ": " + e.getMessage(), e);
        }
        return ids;
    }

    /** Whether the target holds the user, or the included section's row, with the key. */
    private static boolean inTarget(RunContext context, UserSelection selection, String section, Object key) {
        String table;
        String column;
        if (section.equals(io.djangouserbackup.model.Sections.USERS)) {
            table = context.userTable();
            column = "id";
        } else {
            io.djangouserbackup.core.mappers.IncludedTableMapper.Shape shape = selection.shape(section);
            if (shape == null || context.schema().table(shape.table()).isEmpty()) {
                return false;
            }
            table = shape.table();
            column = shape.key();
        }
        String sql = "SELECT 1 FROM " + context.dialect().quote(table) + " WHERE " + context.dialect().quote(column) + " = ?";
        try (java.sql.PreparedStatement statement = context.handle().orElseThrow().getConnection().prepareStatement(sql)) {
            statement.setObject(1, key);
            try (java.sql.ResultSet rs = statement.executeQuery()) {
                return rs.next();
            }
        } catch (java.sql.SQLException e) {
            throw new DatabaseAccessException("table " + table + ": " + e.getMessage(), e);
        }
    }

    private Checked check(RunContext context, BackupSource source, boolean listing) {
        context.requireDjango();
        context.userTable();
        // With the tables of --table and --all-user-tables: a Django fixture's rows of them are restored.
        List<TableMapper> mappers = database.mappersFor(context);
        if (context.fixtureTarget() != null) {
            context.fixtureTarget().include(mappers.stream()
                    .filter(io.djangouserbackup.core.mappers.IncludedTableMapper.class::isInstance)
                    .map(io.djangouserbackup.core.mappers.IncludedTableMapper.class::cast).toList());
            context.fixtureTarget().modelTable(mappers.stream().filter(m -> m.section().equals(Sections.OPENAI_MODELS))
                    .findFirst().map(m -> RemovedRows.tableOf(context, m)).orElse(null));
        }
        Selected selection = select(context, source, mappers);
        Map<String, SectionRun> runs = new LinkedHashMap<>();
        for (TableMapper mapper : mappers) {
            runs.put(mapper.section(), mapper.start(context));
        }
        CheckPass pass = new CheckPass(mappers, runs, DjangoDatabase.requiredSections(), database.dialect())
                .acceptingDescribedSections(context);
        RowComparison comparison = pass.comparingRows(context, listing);
        String modelTable = mappers.stream().filter(m -> m.section().equals(Sections.OPENAI_MODELS)).findFirst()
                .map(m -> RemovedRows.tableOf(context, m)).orElse(null);
        KindDifferences differences = new KindDifferences(context, modelTable);
        DocumentReader.Handler checking = new Both(pass, differences);
        String sha256 = read(source, selection == null ? checking : selection.users.filter(checking), context.fixtureTarget());
        pass.finish();
        differences.finish();
        if (mode == ImportMode.REPLACE && pass.header().isPartial()) {
            throw new IncompatibleDatabaseException("the backup holds only users " + pass.header().partialUsers()
                    + " (it was exported with --user); replace mode would remove every other user; merge it instead");
        }
        // With the sections the backup describes (tables added with export --table), in dependency order.
        List<TableMapper> all = pass.mappers();
        Map<String, Long> removed = new LinkedHashMap<>();
        for (TableMapper mapper : all) {
            if (pass.has(mapper.section())) {
                removed.put(mapper.section(), runs.get(mapper.section()).absentRows());
            }
        }
        Map<String, List<RowChange>> removedSample = Map.of();
        if (mode == ImportMode.REPLACE && removed.values().stream().anyMatch(n -> n > 0)) {
            RemovedRows removedRows = new RemovedRows(context, all, pass::has);
            // Found here, a dry run and the prompt name them; else the database refuses them only at commit.
            List<String> written = all.stream().filter(m -> pass.has(m.section())).map(m -> runs.get(m.section()).sourceTable())
                    .filter(Objects::nonNull).map(io.djangouserbackup.core.spi.Table::name).toList();
            new OrphanCheck(context, removedRows, written).require();
            removedSample = removedRows.sample(ImportPlan.REMOVED_NAMED);
        }
        return new Checked(all, runs, pass, context, removed, sha256, removedSample, selection, comparison);
    }

    /** Reads the whole source, checking its digest, and returns the digest. */
    /**
     * Reads the whole document into the handler and returns its digest. A damaged file can break any rule (an
     * unknown column, a wrong type) before its digest, checked at the end, says it is damaged; when a check fails,
     * the file is read once more for its digest alone, and a mismatch is reported as the cause.
     */
    static String read(BackupSource source, DocumentReader.Handler handler) {
        return read(source, handler, null);
    }

    /**
     * Reads a backup, or a Django fixture (its first byte tells) as a backup, into the handler; a fixture asks the
     * target (null when there is none) for what it leaves to it.
     */
    static String read(BackupSource source, DocumentReader.Handler handler, FixtureTarget target) {
        return read(source, handler, target, false);
    }

    /** {@link #read(BackupSource, DocumentReader.Handler, FixtureTarget)}, hashing on a second thread if asked. */
    static String read(BackupSource source, DocumentReader.Handler handler, FixtureTarget target, boolean hashOnAnotherThread) {
        try {
            return readOnce(source, handler, target, hashOnAnotherThread);
        } catch (InvalidBackupException | IncompatibleDatabaseException e) {
            if (handler == DIGEST_ONLY) {
                throw e;
            }
            try {
                readOnce(source, DIGEST_ONLY, target, hashOnAnotherThread);
            } catch (InvalidBackupException damaged) {
                if (DocumentWriter.DIGEST_FIELD.equals(damaged.place())) {
                    throw damaged;
                }
            }
            throw e;
        }
    }

    /** Reads without looking at the rows: only the document's shape and its digest are checked. */
    private static final DocumentReader.Handler DIGEST_ONLY = new DocumentReader.Handler() {
        @Override
        public void header(BackupHeader header) {
        }

        @Override
        public void beginSection(String name) {
        }

        @Override
        public void row(String section, int index, Row row) {
        }

        @Override
        public void endSection(String name, int count) {
        }
    };

    private static String readOnce(BackupSource source, DocumentReader.Handler handler, FixtureTarget target,
                                   boolean hashOnAnotherThread) {
        try (InputStream in = new java.io.BufferedInputStream(source.open())) {
            if (FixtureReader.isFixture(in)) {
                return new FixtureReader(target).read(source::open, handler);
            }
            return new DocumentReader(hashOnAnotherThread).read(in, handler);
        } catch (java.util.zip.ZipException | java.io.EOFException e) {
            throw new InvalidBackupException("", "cannot read " + source.description() + ": its gzip compression is "
                    + "damaged or truncated (" + (e.getMessage() == null ? "the file ends early: truncated?" : e.getMessage())
                    + ")", e);
        } catch (IOException e) {
            throw new InvalidBackupException("", "cannot read " + source.description() + ": " + IoReasons.why(e), e);
        } catch (UncheckedIOException e) {
            throw new InvalidBackupException("", "cannot read " + source.description() + ": " + IoReasons.why(e.getCause()), e);
        }
    }

    /** Two handlers reading one document, the first (the check) before the second. */
    private record Both(DocumentReader.Handler first, DocumentReader.Handler second) implements DocumentReader.Handler {
        @Override
        public void header(BackupHeader header) {
            first.header(header);
            second.header(header);
        }

        @Override
        public void beginSection(String name) {
            first.beginSection(name);
            second.beginSection(name);
        }

        @Override
        public void row(String section, int index, Row row) {
            first.row(section, index, row);
            second.row(section, index, row);
        }

        @Override
        public void endSection(String name, int count) {
            first.endSection(name, count);
            second.endSection(name, count);
        }
    }

    /** The second pass: every row written by its section's mapper. */
    private static final class WritePass implements DocumentReader.Handler {
        private final Map<String, SectionRun> runs;

        WritePass(Map<String, SectionRun> runs) {
            this.runs = runs;
        }

        @Override
        public void header(BackupHeader header) {
        }

        @Override
        public void beginSection(String name) {
        }

        @Override
        public void row(String section, int index, Row row) {
            runs.get(section).write(row, section + "[" + index + "]");
        }

        @Override
        public void endSection(String name, int count) {
            // Each section's batched rows are written before the next section's: an engine that checks foreign keys
            // at each statement (MySQL) must see the users before the model rows that point at them.
            runs.get(name).afterWrite();
        }
    }
}
