package io.djangouserbackup.core.internal;

import io.djangouserbackup.core.DatabaseAccessException;
import io.djangouserbackup.core.ImportMode;
import io.djangouserbackup.model.PermissionKey;
import io.djangouserbackup.model.Sections;
import io.djangouserbackup.core.spi.Dialect;
import io.djangouserbackup.core.spi.NaturalKeys;
import io.djangouserbackup.core.spi.Table;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * What a {@link FixtureReader} asks of the database a Django fixture is imported into: its tables (for the
 * columns' types), the ids its users and groups have (a fixture dumped with {@code --natural-primary} has none),
 * and what its permission and content-type ids mean (a fixture dumped without {@code --natural-foreign} refers to
 * them by id). One per import run: the ids it hands out for new users and groups start past the largest ids the
 * target held when first asked, so every reading of the fixture in the run gives the same ids.
 */
public final class FixtureTarget {
    private final RunContext context;
    private Long maxUserId;
    private Long maxGroupId;
    private PreparedStatement userIdByName;
    private ModelLabels labels;
    private List<io.djangouserbackup.core.mappers.IncludedTableMapper> included = List.of();

    FixtureTarget(RunContext context) {
        this.context = context;
    }

    private Handle handle() {
        return context.handle().orElseThrow();
    }

    /** Whether the import replaces the target's rows (then a kind of row the fixture lacks must not be emptied). */
    public boolean replaces() {
        return context.mode() == ImportMode.REPLACE;
    }

    /** The user table ({@code auth_user}, or a custom user model's). */
    public String userTable() {
        return context.userTable();
    }

    /** The table, when the target has it. */
    public Optional<Table> table(String name) {
        return context.schema().table(name);
    }

    /** The id of the target's user with this username, or null. */
    public Long userId(String username) {
        if (maxUserId() == 0) {
            return null;
        }
        Dialect d = context.dialect();
        try {
            if (userIdByName == null) {
                userIdByName = handle().getConnection().prepareStatement("SELECT " + d.quote("id") + " FROM "
                        + d.quote(userTable()) + " WHERE " + d.quote("username") + " = ?");
            }
            userIdByName.setString(1, username);
            try (ResultSet rs = userIdByName.executeQuery()) {
                return rs.next() ? rs.getLong(1) : null;
            }
        } catch (SQLException e) {
            throw new DatabaseAccessException("table " + userTable() + ": " + e.getMessage(), e);
        }
    }

    /** The largest user id of the target when first asked (0 for none). */
    public long maxUserId() {
        if (maxUserId == null) {
            maxUserId = maxId(userTable());
        }
        return maxUserId;
    }

    /** The id of the target's group with this name, or null. */
    public Long groupId(String name) {
        return context.naturalKeys().groupId(name);
    }

    /** The largest group id of the target when first asked (0 for none). */
    public long maxGroupId() {
        if (maxGroupId == null) {
            maxGroupId = maxId("auth_group");
        }
        return maxGroupId;
    }

    private long maxId(String table) {
        Dialect d = context.dialect();
        List<Long> max = Jdbc.list(handle(), "SELECT COALESCE(MAX(" + d.quote("id") + "), 0) FROM " + d.quote(table),
                rs -> rs.getLong(1));
        return max.get(0);
    }

    /** The natural key of the target's permission with this id, or null. */
    public PermissionKey permission(long id) {
        return context.naturalKeys().permissionById(id);
    }

    /** The name of the target's permission with this natural key, or null when the target lacks it. */
    public String permissionName(PermissionKey key) {
        if (context.naturalKeys().permissionId(key) == null) {
            return null;
        }
        Dialect d = context.dialect();
        List<String> names = Jdbc.list(handle(), "SELECT name FROM " + d.quote("auth_permission") + " WHERE id = ?",
                rs -> rs.getString(1), context.naturalKeys().permissionId(key));
        return names.isEmpty() ? null : names.get(0);
    }

    /** {@code [app_label, model]} of the target's content type with this id, or null. */
    public List<String> contentType(long id) {
        NaturalKeys.ContentType key = context.naturalKeys().contentTypeById(id);
        return key == null ? null : List.of(key.appLabel(), key.model());
    }

    /** The tables the import includes ({@code import --table}): a fixture's rows of them are restored. */
    public void include(List<io.djangouserbackup.core.mappers.IncludedTableMapper> mappers) {
        included = List.copyOf(mappers);
    }

    private final java.util.Map<String, java.util.Set<String>> jsonColumns = new java.util.HashMap<>();

    /** The table's text columns that hold a {@code JSONField} ({@link JsonColumns}), asked once per table. */
    public java.util.Set<String> jsonColumns(Table table) {
        return jsonColumns.computeIfAbsent(table.name(), name -> JsonColumns.of(handle(), context.dialect(), table));
    }

    private String modelTable;

    /** The target's OpenAI model table, or null when it has none. */
    public void modelTable(String table) {
        modelTable = table;
    }

    /** Whether the target holds any row of the section ({@code users}, {@code groups} or {@code openai_models}). */
    public boolean holdsRows(String section) {
        String table = switch (section) {
            case Sections.USERS -> userTable();
            case Sections.GROUPS -> "auth_group";
            case Sections.OPENAI_MODELS -> modelTable;
            default -> throw new IllegalArgumentException(section);
        };
        return table != null && !Jdbc.list(handle(), "SELECT 1 FROM " + context.dialect().quote(table) + " LIMIT 1",
                rs -> rs.getInt(1)).isEmpty();
    }

    /** The included table whose model the fixture label names, by the target's content types, or null. */
    public io.djangouserbackup.core.mappers.IncludedTableMapper included(String label) {
        if (included.isEmpty()) {
            return null;
        }
        if (labels == null) {
            labels = new ModelLabels(handle());
        }
        String table = ModelLabels.tableOf(label);
        for (io.djangouserbackup.core.mappers.IncludedTableMapper mapper : included) {
            if (mapper.shape().table().equalsIgnoreCase(table) && labels.names(label, mapper.shape().table())) {
                return mapper;
            }
        }
        return null;
    }

    /** The included tables' sections, in the order they are restored. */
    public List<String> includedSections() {
        return included.stream().map(io.djangouserbackup.core.mappers.IncludedTableMapper::section).toList();
    }

    /** Closes the lookup statement. */
    void close() {
        if (userIdByName != null) {
            try {
                userIdByName.close();
            } catch (SQLException ignored) {
                // A lookup statement: closing it cannot lose data.
            }
            userIdByName = null;
        }
    }
}
