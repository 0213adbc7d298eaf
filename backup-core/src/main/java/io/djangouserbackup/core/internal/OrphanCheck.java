package io.djangouserbackup.core.internal;

import io.djangouserbackup.core.DatabaseAccessException;
import io.djangouserbackup.core.IncompatibleDatabaseException;
import io.djangouserbackup.core.mappers.ModelTableMapper;
import io.djangouserbackup.core.spi.Column;
import io.djangouserbackup.core.spi.Dialect;
import io.djangouserbackup.core.spi.ForeignKey;
import io.djangouserbackup.core.spi.References;
import io.djangouserbackup.core.spi.Table;
import io.djangouserbackup.core.spi.TableMapper;
import io.djangouserbackup.model.Sections;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Before a replace writes anything: finds the rows of other tables (Django's {@code django_admin_log}, any app's
 * table with a foreign key to the user, group or OpenAI model table) that would point at rows the replace removes.
 * The database would refuse them at commit (or, on MySQL, at the delete); found in the check pass, a dry run and
 * the confirmation prompt can name them, before anyone decides.
 *
 * <p>Self-contained on purpose: it reads the target and the keys the check pass declared, and asks nothing of
 * the mappers but the tables they hold. A removed row is one whose id (for groups: whose name and id) the backup
 * does not declare, as the built-in mappers decide it. Many-to-many link tables are not other tables: a replace
 * clears their rows itself.
 */
public final class OrphanCheck {
    /** How many rows a refusal names; the rest are counted. */
    static final int NAMED = 10;
    private static final int CHUNK = 500;

    private final RunContext context;
    private final Map<String, String> tableBySection = new LinkedHashMap<>();

    /**
     * @param context  the import's run, after its check pass
     * @param mappers  the mappers of the run
     * @param sections which sections the backup has (a missing one removes nothing)
     */
    public OrphanCheck(RunContext context, List<TableMapper> mappers, Predicate<String> sections) {
        this.context = context;
        for (TableMapper mapper : mappers) {
            String table = tableOf(mapper);
            if (table != null && sections.test(mapper.section())) {
                tableBySection.put(mapper.section(), table);
            }
        }
    }

    /** A row of another table that points at a removed row. */
    record Orphan(String table, String row, String column, String targetTable, long targetId, String targetName) {
        @Override
        public String toString() {
            return table + " " + row + " (" + column + ") points at " + targetTable + " id " + targetId
                    + (targetName == null ? "" : " '" + targetName + "'");
        }
    }

    /**
     * Refuses the replace when other tables' rows point at rows it removes, naming the first of them.
     *
     * @throws IncompatibleDatabaseException naming the table, the row and the row it points at
     */
    public void require() {
        List<Orphan> named = new ArrayList<>();
        long[] total = {0};
        Set<String> written = new java.util.HashSet<>();
        tableBySection.values().forEach(t -> written.add(t.toLowerCase(Locale.ROOT)));
        written.add("auth_permission");
        for (Map.Entry<String, String> entry : tableBySection.entrySet()) {
            if (entry.getKey().equals(Sections.PERMISSIONS)) {
                continue;
            }
            String target = entry.getValue();
            List<Long> removed = removedIds(entry.getKey(), target);
            if (removed.isEmpty()) {
                continue;
            }
            for (Table other : context.schema().referencing(target)) {
                boolean linkTable = other.columns().size() == 3 && other.foreignKeys().size() == 2;
                if (linkTable || written.contains(other.name().toLowerCase(Locale.ROOT))) {
                    continue;
                }
                for (ForeignKey key : other.foreignKeysTo(target)) {
                    total[0] += find(other, key, target, removed, named);
                }
            }
        }
        if (total[0] == 0) {
            return;
        }
        StringBuilder message = new StringBuilder("a replace would remove rows that rows of other tables point at: ");
        List<String> listed = named.stream().map(Orphan::toString).toList();
        message.append(String.join("; ", listed));
        if (total[0] > named.size()) {
            message.append("; and ").append(total[0] - named.size()).append(" more");
        }
        message.append(". Nothing was written. Merge instead (those rows stay valid), or delete those rows first, or"
                + " import a backup that has what they point at");
        throw new IncompatibleDatabaseException(message.toString());
    }

    /** The target's ids of the section that a replace removes, in id order. */
    private List<Long> removedIds(String section, String table) {
        Dialect d = context.dialect();
        List<Long> removed = new ArrayList<>();
        References references = context.references();
        if (section.equals(Sections.GROUPS)) {
            // A group stays when the backup has its name under the same id (GroupsMapper's rule for a replace).
            Jdbc.forEach(context.handle().orElseThrow(), "SELECT " + d.quote("id") + ", " + d.quote("name") + " FROM "
                    + d.quote(table) + " ORDER BY " + d.quote("id"), rs -> {
                        long id = rs.getLong(1);
                        if (!references.isDeclared(section, rs.getString(2)) || !references.isDeclaredId(section, id)) {
                            removed.add(id);
                        }
                    });
        } else {
            Jdbc.forEach(context.handle().orElseThrow(), "SELECT " + d.quote("id") + " FROM " + d.quote(table)
                    + " ORDER BY " + d.quote("id"), rs -> {
                        long id = rs.getLong(1);
                        if (!references.isDeclaredId(section, id)) {
                            removed.add(id);
                        }
                    });
        }
        return removed;
    }

    /** Adds the rows of {@code other} whose key points at a removed id (up to {@link #NAMED} in all); returns how many. */
    private long find(Table other, ForeignKey key, String target, List<Long> removed, List<Orphan> named) {
        Dialect d = context.dialect();
        Connection connection = context.handle().orElseThrow().getConnection();
        String rowColumn = other.columns().stream().filter(Column::primaryKey).map(Column::name).findFirst()
                .orElse(key.column());
        String nameColumn = nameColumn(target);
        long found = 0;
        for (int from = 0; from < removed.size(); from += CHUNK) {
            List<Long> chunk = removed.subList(from, Math.min(removed.size(), from + CHUNK));
            String marks = String.join(", ", java.util.Collections.nCopies(chunk.size(), "?"));
            String sql = "SELECT o." + d.quote(rowColumn) + ", o." + d.quote(key.column())
                    + (nameColumn == null ? "" : ", t." + d.quote(nameColumn))
                    + " FROM " + d.quote(other.name()) + " o"
                    + (nameColumn == null ? "" : " LEFT JOIN " + d.quote(target) + " t ON t." + d.quote(key.targetColumn())
                            + " = o." + d.quote(key.column()))
                    + " WHERE o." + d.quote(key.column()) + " IN (" + marks + ") ORDER BY o." + d.quote(rowColumn);
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                for (int i = 0; i < chunk.size(); i++) {
                    statement.setLong(i + 1, chunk.get(i));
                }
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        found++;
                        if (named.size() < NAMED) {
                            String row = rowColumn.equals(key.column()) ? "row" : rowColumn + " " + rs.getString(1);
                            named.add(new Orphan(other.name(), row, key.column(), target, rs.getLong(2),
                                    nameColumn == null ? null : rs.getString(3)));
                        }
                    }
                }
            } catch (SQLException e) {
                throw new DatabaseAccessException("table " + other.name() + ": looking for rows that point at "
                        + target + " failed: " + e.getMessage(), e);
            }
        }
        return found;
    }

    /** The column that names a row of the table for people: a username, a group's or model's name; or null. */
    private String nameColumn(String table) {
        Table t = context.schema().table(table).orElse(null);
        if (t == null) {
            return null;
        }
        for (String candidate : List.of("username", "name", "email")) {
            if (t.column(candidate).isPresent()) {
                return candidate;
            }
        }
        return null;
    }

    /** The table a built-in mapper holds, or null for one this check does not know. */
    private String tableOf(TableMapper mapper) {
        switch (mapper.section()) {
            case Sections.USERS:
                return context.userTable();
            case Sections.GROUPS:
                return "auth_group";
            case Sections.PERMISSIONS:
                return "auth_permission";
            default:
                break;
        }
        if (mapper instanceof ModelTableMapper model) {
            if (model.tableName() != null) {
                return model.tableName();
            }
            List<String> candidates = context.schema().tableNames().stream()
                    .filter(name -> name.toLowerCase(Locale.ROOT).endsWith(ModelTableMapper.openAiSuffix())).toList();
            return candidates.size() == 1 ? candidates.get(0) : null;
        }
        return null;
    }
}
