package io.djangouserbackup.core.mappers;

import io.djangouserbackup.core.IncompatibleDatabaseException;
import io.djangouserbackup.core.spi.ForeignKey;
import io.djangouserbackup.core.spi.MapperContext;
import io.djangouserbackup.core.spi.PrimaryKey;
import io.djangouserbackup.core.spi.SchemaCatalog;
import io.djangouserbackup.core.spi.Table;
import io.djangouserbackup.model.Sections;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Finds the {@link IncludedTableMapper.Shape} of tables in a database: the tables named ({@code export --table}),
 * and, when asked, every table tied to users ({@code export --all-user-tables}): every table with a foreign key to
 * the user table or to groups, directly, through a many-to-many table, or through another included table, except Django's
 * own logs and sessions ({@link #NEVER_INCLUDED}), which a restore must not resurrect.
 *
 * <p>A many-to-many table (an {@code id} and two foreign keys) becomes a list field of its owner: the table whose
 * name it starts with, e.g. {@code projects_project_members} is the {@code members} of {@code projects_project}.
 */
public final class IncludedTables {

    /** Tables {@code --all-user-tables} leaves out: Django's admin log and sessions. */
    public static final Set<String> NEVER_INCLUDED = Set.of("django_admin_log", "django_session");

    private final SchemaCatalog schema;
    private final Map<String, String> coreSections = new HashMap<>();
    private final Set<String> coreTables = new LinkedHashSet<>();

    private IncludedTables(MapperContext context) {
        this.schema = context.schema();
        String users = context.userTable();
        coreSections.put(users.toLowerCase(Locale.ROOT), Sections.USERS);
        coreSections.put("auth_group", Sections.GROUPS);
        coreSections.put("auth_permission", Sections.PERMISSIONS);
        coreSections.put("django_content_type", IncludedTableMapper.CONTENT_TYPES);
        for (String name : schema.tableNames()) {
            if (name.toLowerCase(Locale.ROOT).endsWith("_openaimodel")) {
                coreSections.put(name.toLowerCase(Locale.ROOT), Sections.OPENAI_MODELS);
            }
        }
        coreTables.addAll(coreSections.keySet());
        // The link tables the built-in sections carry as lists.
        for (String name : schema.tableNames()) {
            Table table = schema.table(name).orElseThrow();
            if (isLinkTable(table) && table.foreignKeys().stream().anyMatch(fk -> isCore(fk.targetTable()))
                    && table.foreignKeys().stream().allMatch(fk -> isCore(fk.targetTable()))) {
                coreTables.add(name.toLowerCase(Locale.ROOT));
            }
        }
    }

    /**
     * The mappers for the named tables and, with {@code allUserTables}, every table tied to users; sections are
     * named after their tables.
     *
     * @throws IncompatibleDatabaseException for a table that does not exist, is backed up already, has no
     *                                       one-column primary key, or refers to a table that is neither included
     *                                       nor a built-in one (naming it and the option that includes it)
     */
    public static List<IncludedTableMapper> discover(MapperContext context, List<String> tables, boolean allUserTables) {
        return new IncludedTables(context).discover(tables, allUserTables);
    }

    private boolean isCore(String table) {
        return coreSections.containsKey(table.toLowerCase(Locale.ROOT));
    }

    private static boolean isLinkTable(Table table) {
        return SchemaCatalog.isLinkTable(table);
    }

    private List<IncludedTableMapper> discover(List<String> named, boolean allUserTables) {
        Set<String> included = new LinkedHashSet<>();
        for (String name : named) {
            Table table = schema.table(name).orElseThrow(() -> new IncompatibleDatabaseException("--table " + name
                    + ": the database has no such table"));
            if (coreTables.contains(table.name().toLowerCase(Locale.ROOT))) {
                throw new IncompatibleDatabaseException("--table " + name + ": this table is backed up already, as part of the"
                        + " built-in sections");
            }
            included.add(table.name());
        }
        if (allUserTables) {
            boolean grew = true;
            while (grew) {
                grew = false;
                for (String name : schema.tableNames()) {
                    String lower = name.toLowerCase(Locale.ROOT);
                    if (included.contains(name) || coreTables.contains(lower) || NEVER_INCLUDED.contains(lower)) {
                        continue;
                    }
                    Table table = schema.table(name).orElseThrow();
                    boolean tied = table.foreignKeys().stream().anyMatch(fk -> isUserOrGroupTable(fk.targetTable())
                            || included.contains(fk.targetTable()));
                    if (tied) {
                        included.add(name);
                        grew = true;
                    }
                }
            }
        }
        // Link tables between included (or built-in) tables become list fields of their owners.
        Map<String, List<IncludedTableMapper.LinkShape>> linksByOwner = new LinkedHashMap<>();
        Set<String> asLinks = new LinkedHashSet<>();
        for (String name : included) {
            Table table = schema.table(name).orElseThrow();
            if (!isLinkTable(table)) {
                continue;
            }
            ForeignKey first = table.foreignKeys().get(0);
            ForeignKey second = table.foreignKeys().get(1);
            ForeignKey owner = name.toLowerCase(Locale.ROOT).startsWith(first.targetTable().toLowerCase(Locale.ROOT) + "_") ? first
                    : name.toLowerCase(Locale.ROOT).startsWith(second.targetTable().toLowerCase(Locale.ROOT) + "_") ? second : first;
            ForeignKey far = owner == first ? second : first;
            if (!included.contains(owner.targetTable()) || owner.targetTable().equals(name)) {
                // Owned by a built-in table or a table left out: the link table stays a section of its own.
                continue;
            }
            Table ownerTable = schema.table(owner.targetTable()).orElseThrow();
            String ownerKey = PrimaryKey.columnOf(ownerTable);
            if (!ownerKey.equals(owner.targetColumn()) || ownerTable.column(ownerKey).orElseThrow().type()
                    != io.djangouserbackup.core.spi.ColumnType.INTEGER) {
                continue;
            }
            String prefix = ownerTable.name() + "_";
            String field = name.startsWith(prefix) ? name.substring(prefix.length()) : name;
            if (ownerTable.column(field).isPresent()) {
                field = name;
            }
            linksByOwner.computeIfAbsent(ownerTable.name(), o -> new ArrayList<>()).add(new IncludedTableMapper.LinkShape(field,
                    name, owner.column(), far.column(), sectionOf(far.targetTable(), included, table.name(), far.column())));
            asLinks.add(name);
        }
        List<IncludedTableMapper> mappers = new ArrayList<>();
        for (String name : included) {
            if (asLinks.contains(name)) {
                continue;
            }
            Table table = schema.table(name).orElseThrow();
            String key = PrimaryKey.columnOf(table);
            Map<String, String> references = new LinkedHashMap<>();
            for (ForeignKey fk : table.foreignKeys()) {
                references.put(fk.column(), sectionOf(fk.targetTable(), included, table.name(), fk.column()));
            }
            mappers.add(new IncludedTableMapper(name, new IncludedTableMapper.Shape(name, key, references,
                    linksByOwner.getOrDefault(name, List.of()))));
        }
        return mappers;
    }

    /** Groups count as users' data: guardian's group object permissions are what its users may do. */
    private boolean isUserOrGroupTable(String table) {
        String section = coreSections.get(table.toLowerCase(Locale.ROOT));
        return Sections.USERS.equals(section) || Sections.GROUPS.equals(section);
    }

    private String sectionOf(String target, Set<String> included, String from, String column) {
        String core = coreSections.get(target.toLowerCase(Locale.ROOT));
        if (core != null) {
            return core;
        }
        for (String name : included) {
            if (name.equalsIgnoreCase(target)) {
                return name;
            }
        }
        throw new IncompatibleDatabaseException("table " + from + ": column " + column + " refers to table " + target
                + ", which is not in the backup; add --table " + target + " (or use --all-user-tables)");
    }
}
