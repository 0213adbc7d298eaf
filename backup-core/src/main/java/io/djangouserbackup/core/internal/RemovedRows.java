package io.djangouserbackup.core.internal;

import io.djangouserbackup.core.RowChange;
import io.djangouserbackup.core.mappers.ModelTableMapper;
import io.djangouserbackup.core.spi.Dialect;
import io.djangouserbackup.core.spi.References;
import io.djangouserbackup.core.spi.Table;
import io.djangouserbackup.core.spi.TableMapper;
import io.djangouserbackup.model.Sections;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The target's users, groups and OpenAI models a replace removes, worked out after the check pass from the keys
 * the backup declared: a row whose id (for a group: whose name under the same id) the backup lacks. The ids are
 * kept per section, so a prompt can name the first of them and {@link OrphanCheck} can look for rows that point
 * at them. Only built-in sections and {@link ModelTableMapper} tables are known here.
 */
public final class RemovedRows {
    private final RunContext context;
    private final Map<String, String> tableBySection = new LinkedHashMap<>();
    private final Map<String, List<Long>> ids = new LinkedHashMap<>();

    /**
     * @param context  the import's run, after its check pass
     * @param mappers  the mappers of the run
     * @param sections which sections the backup has (a missing one removes nothing)
     */
    public RemovedRows(RunContext context, List<TableMapper> mappers, Predicate<String> sections) {
        this.context = context;
        for (TableMapper mapper : mappers) {
            if (mapper.section().equals(Sections.PERMISSIONS) || !sections.test(mapper.section())) {
                continue;
            }
            String table = tableOf(context, mapper);
            if (table != null && context.schema().table(table).isPresent()) {
                tableBySection.put(mapper.section(), table);
            }
        }
    }

    /** Section to the table its rows are removed from. */
    Map<String, String> tables() {
        return tableBySection;
    }

    /** The ids a replace removes from the section's table, in id order. */
    List<Long> ids(String section) {
        return ids.computeIfAbsent(section, s -> removedIds(s, tableBySection.get(s)));
    }

    /**
     * The first {@code limit} rows each section loses, by id, as a dry run names them (a group by its name, others
     * by id and name); the counts are the plan's.
     */
    public Map<String, List<RowChange>> sample(int limit) {
        Map<String, List<RowChange>> sample = new LinkedHashMap<>();
        Dialect d = context.dialect();
        for (Map.Entry<String, String> entry : tableBySection.entrySet()) {
            String section = entry.getKey();
            List<Long> removed = ids(section);
            if (removed.isEmpty()) {
                continue;
            }
            String nameColumn = nameColumn(entry.getValue());
            List<RowChange> rows = new ArrayList<>();
            String sql = "SELECT " + (nameColumn == null ? "NULL" : d.quote(nameColumn)) + " FROM " + d.quote(entry.getValue())
                    + " WHERE " + d.quote("id") + " = ?";
            try (PreparedStatement statement = context.handle().orElseThrow().getConnection().prepareStatement(sql)) {
                for (long id : removed.subList(0, Math.min(limit, removed.size()))) {
                    statement.setLong(1, id);
                    try (ResultSet rs = statement.executeQuery()) {
                        String name = rs.next() ? rs.getString(1) : null;
                        Object key = section.equals(Sections.GROUPS) && name != null ? name : (Object) id;
                        rows.add(new RowChange(section, key, name, RowChange.Change.REMOVED, List.of()));
                    }
                }
            } catch (SQLException e) {
                throw new io.djangouserbackup.core.DatabaseAccessException("table " + entry.getValue() + ": " + e.getMessage(), e);
            }
            sample.put(section, rows);
        }
        return sample;
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

    /** The table a built-in mapper (or a {@link ModelTableMapper}) holds, or null for one not known here. */
    public static String tableOf(RunContext context, TableMapper mapper) {
        switch (mapper.section()) {
            case Sections.USERS:
                return context.userTable();
            case Sections.GROUPS:
                return "auth_group";
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

    /** The column that names a row of the table for people: a username, a group's or model's name; or null. */
    String nameColumn(String table) {
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
}
