package io.djangouserbackup.core.internal;

import io.djangouserbackup.core.ImportMode;
import io.djangouserbackup.core.IncompatibleDatabaseException;
import io.djangouserbackup.core.spi.Dialect;
import io.djangouserbackup.core.spi.MapperContext;
import io.djangouserbackup.core.spi.NaturalKeys;
import io.djangouserbackup.core.spi.References;
import io.djangouserbackup.core.spi.SchemaCatalog;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** The context of one export, import or verification, shared by its mappers. */
public final class RunContext implements MapperContext, AutoCloseable {
    private final Handle handle;
    private final Dialect dialect;
    private final String configuredUserTable;
    private final ImportMode mode;
    private final RunReferences references = new RunReferences();
    private final List<String> notes = new ArrayList<>();
    /** "table.column: how" to the number of values stored that way, in the order first met. */
    private final Map<String, Long> approximations = new LinkedHashMap<>();
    private SchemaCatalog schema;
    private NaturalKeys naturalKeys;
    private String userTable;
    private java.util.Set<String> keptSections = java.util.Set.of();
    private java.util.function.LongPredicate selectedUsers;

    public RunContext(Handle handle, Dialect dialect, String configuredUserTable, ImportMode mode) {
        this.handle = handle;
        this.dialect = dialect;
        this.configuredUserTable = configuredUserTable;
        this.mode = mode;
    }

    @Override
    public Optional<Handle> handle() {
        return Optional.ofNullable(handle);
    }

    @Override
    public Dialect dialect() {
        return dialect;
    }

    @Override
    public SchemaCatalog schema() {
        if (handle == null) {
            throw new IllegalStateException("no database in this run");
        }
        if (schema == null) {
            schema = new SchemaCatalog(handle, dialect);
        }
        return schema;
    }

    @Override
    public NaturalKeys naturalKeys() {
        if (naturalKeys == null) {
            naturalKeys = new NaturalKeys(handle, dialect, schema());
        }
        return naturalKeys;
    }

    @Override
    public String userTable() {
        if (userTable == null) {
            userTable = configuredUserTable != null ? schema().require(configuredUserTable).name() : DjangoTables.findUserTable(schema());
        }
        return userTable;
    }

    @Override
    public ImportMode mode() {
        return mode;
    }

    /**
     * Makes this run a selective import: rows of the kept sections the target holds stay as they are, and only links
     * to the selected users change.
     */
    public void select(java.util.Set<String> keptSections, java.util.function.LongPredicate selectedUsers) {
        this.keptSections = java.util.Set.copyOf(keptSections);
        this.selectedUsers = selectedUsers;
    }

    @Override
    public boolean keepsExisting(String section) {
        return keptSections.contains(section);
    }

    @Override
    public boolean isSelectedUser(long userId) {
        return selectedUsers == null || selectedUsers.test(userId);
    }

    @Override
    public References references() {
        return references;
    }

    @Override
    public void note(String message) {
        if (!notes.contains(message)) {
            notes.add(message);
        }
    }

    @Override
    public void approximated(String table, String column, String how) {
        approximations.merge(table + "." + column + ": " + how, 1L, Long::sum);
    }

    public List<String> notes() {
        List<String> all = new ArrayList<>(notes);
        approximations.forEach((what, count) -> {
            int colon = what.indexOf(": ");
            all.add(what.substring(0, colon) + ": " + count + (count == 1 ? " value " : " values ") + what.substring(colon + 2));
        });
        return List.copyOf(all);
    }

    private FixtureTarget fixtureTarget;

    /**
     * What a Django fixture read in this run asks of the target, or null when the run has no database. One per run,
     * so that each reading of the fixture gives new users and groups the same ids.
     */
    public FixtureTarget fixtureTarget() {
        if (handle == null) {
            return null;
        }
        if (fixtureTarget == null) {
            fixtureTarget = new FixtureTarget(this);
        }
        return fixtureTarget;
    }

    /** Frees what the run kept (temporary key files, lookup statements). */
    @Override
    public void close() {
        references.close();
        if (fixtureTarget != null) {
            fixtureTarget.close();
        }
    }

    /** Refuses a database that is not a migrated Django database. */
    public void requireDjango() {
        for (String table : List.of("django_content_type", "auth_permission", "auth_group")) {
            if (schema().table(table).isEmpty()) {
                throw new IncompatibleDatabaseException("table " + table + " is missing: is this a migrated Django database?");
            }
        }
    }
}
