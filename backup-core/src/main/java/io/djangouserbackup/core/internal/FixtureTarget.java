package io.djangouserbackup.core.internal;

import io.djangouserbackup.core.DatabaseAccessException;
import io.djangouserbackup.core.ImportMode;
import io.djangouserbackup.model.PermissionKey;
import io.djangouserbackup.core.spi.Dialect;
import io.djangouserbackup.core.spi.Table;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
    private Map<Long, PermissionKey> permissionsById;
    private Map<PermissionKey, String> permissionNames;
    private Map<Long, List<String>> contentTypesById;
    private PreparedStatement userIdByName;

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
        Dialect d = context.dialect();
        List<Long> ids = Jdbc.list(handle(), "SELECT id FROM " + d.quote("auth_group") + " WHERE name = ?",
                rs -> rs.getLong(1), name);
        return ids.isEmpty() ? null : ids.get(0);
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
        loadPermissions();
        return permissionsById.get(id);
    }

    /** The name of the target's permission with this natural key, or null when the target lacks it. */
    public String permissionName(PermissionKey key) {
        loadPermissions();
        return permissionNames.get(key);
    }

    /** {@code [app_label, model]} of the target's content type with this id, or null. */
    public List<String> contentType(long id) {
        loadPermissions();
        return contentTypesById.get(id);
    }

    private void loadPermissions() {
        if (permissionsById != null) {
            return;
        }
        Dialect d = context.dialect();
        permissionsById = new HashMap<>();
        permissionNames = new HashMap<>();
        contentTypesById = new HashMap<>();
        Jdbc.forEach(handle(), "SELECT id, app_label, model FROM " + d.quote("django_content_type"),
                rs -> contentTypesById.put(rs.getLong(1), List.of(rs.getString(2), rs.getString(3))));
        Jdbc.forEach(handle(), "SELECT p.id, ct.app_label, ct.model, p.codename, p.name FROM " + d.quote("auth_permission")
                + " p JOIN " + d.quote("django_content_type") + " ct ON ct.id = p.content_type_id", rs -> {
                    PermissionKey key = new PermissionKey(rs.getString(2), rs.getString(3), rs.getString(4));
                    permissionsById.put(rs.getLong(1), key);
                    permissionNames.put(key, rs.getString(5));
                });
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
