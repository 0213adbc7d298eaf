package io.djangouserbackup.core.spi;

import io.djangouserbackup.core.IncompatibleDatabaseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** The tables of one database, read once through the dialect and kept for the run. */
public final class SchemaCatalog {
    private final Handle handle;
    private final Dialect dialect;
    private final List<String> tableNames;
    private final Map<String, Optional<Table>> tables = new HashMap<>();

    public SchemaCatalog(Handle handle, Dialect dialect) {
        this.handle = handle;
        this.dialect = dialect;
        this.tableNames = List.copyOf(dialect.tableNames(handle));
    }

    /** All table names. */
    public List<String> tableNames() {
        return tableNames;
    }

    /** The table, or empty when the database has none of that name. */
    public Optional<Table> table(String name) {
        return tables.computeIfAbsent(name, n -> tableNames.contains(n) ? dialect.table(handle, n) : Optional.empty());
    }

    /** The table, or an {@link IncompatibleDatabaseException} naming it. */
    public Table require(String name) {
        return table(name).orElseThrow(() -> new IncompatibleDatabaseException(
                "table " + name + " is missing: is this a migrated Django database?"));
    }

    /** The column of a table, or an {@link IncompatibleDatabaseException} naming both. */
    public Column requireColumn(Table table, String column) {
        return table.column(column).orElseThrow(() -> new IncompatibleDatabaseException(
                "table " + table.name() + " has no column " + column));
    }

    /**
     * The many-to-many link tables between two tables: tables with an {@code id} and one foreign key to each,
     * as Django creates them ({@code auth_user_groups} links {@code auth_user} and {@code auth_group}).
     */
    public List<Table> linkTables(String from, String to) {
        List<Table> links = new ArrayList<>();
        for (String name : tableNames) {
            Table table = table(name).orElseThrow();
            if (isLinkTable(table) && table.foreignKeysTo(from).size() == 1 && table.foreignKeysTo(to).size() == 1
                    && !from.equalsIgnoreCase(to)) {
                links.add(table);
            }
        }
        return links;
    }

    /**
     * Whether the table is a many-to-many link table as Django makes them: an {@code id} of its own and two
     * foreign keys, nothing else. (A table of three columns whose key is one of its foreign keys, say a one-to-one
     * profile with two references, is not one.)
     */
    public static boolean isLinkTable(Table table) {
        return table.columns().size() == 3 && table.foreignKeys().size() == 2 && table.column("id").isPresent()
                && table.foreignKeys().stream().noneMatch(fk -> fk.column().equals("id"));
    }

    /** Every table with a foreign key to the given one, other than itself. */
    public List<Table> referencing(String target) {
        List<Table> result = new ArrayList<>();
        for (String name : tableNames) {
            Table table = table(name).orElseThrow();
            if (!name.equalsIgnoreCase(target) && !table.foreignKeysTo(target).isEmpty()) {
                result.add(table);
            }
        }
        return result;
    }
}
