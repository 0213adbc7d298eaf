package io.djangouserbackup.core.internal;

import io.djangouserbackup.core.IncompatibleDatabaseException;
import io.djangouserbackup.core.spi.ForeignKey;
import io.djangouserbackup.core.spi.SchemaCatalog;
import io.djangouserbackup.core.spi.Table;
import io.djangouserbackup.model.DjangoVersion;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/** Finds Django's tables and reads what the database says about its Django release. */
public final class DjangoTables {

    /** The latest auth migration of each Django release that added one. */
    private static final Map<String, String> AUTH_MIGRATION_RELEASE = Map.ofEntries(
            Map.entry("0001_initial", "1.7"),
            Map.entry("0002_alter_permission_name_max_length", "1.8"),
            Map.entry("0003_alter_user_email_max_length", "1.8"),
            Map.entry("0004_alter_user_username_opts", "1.8"),
            Map.entry("0005_alter_user_last_login_null", "1.8"),
            Map.entry("0006_require_contenttypes_0002", "1.8"),
            Map.entry("0007_alter_validators_add_error_messages", "1.9"),
            Map.entry("0008_alter_user_username_max_length", "1.10"),
            Map.entry("0009_alter_user_last_name_max_length", "2.0"),
            Map.entry("0010_alter_group_name_max_length", "2.1"),
            Map.entry("0011_update_proxy_permissions", "2.2"),
            Map.entry("0012_alter_user_first_name_max_length", "3.1"));

    private DjangoTables() {
    }

    /**
     * The user table, found from the many-to-many tables Django makes for {@code PermissionsMixin}
     * ({@code <user table>_groups} and {@code <user table>_user_permissions}), then from
     * {@code django_admin_log.user_id}, then by the default name {@code auth_user}.
     */
    public static String findUserTable(SchemaCatalog schema) {
        Set<String> withGroups = linkedTo(schema, "auth_group");
        Set<String> withPermissions = linkedTo(schema, "auth_permission");
        withGroups.remove("auth_permission");
        withPermissions.remove("auth_group");
        Set<String> both = new LinkedHashSet<>(withGroups);
        both.retainAll(withPermissions);
        String adminLogUser = schema.table("django_admin_log")
                .flatMap(t -> t.foreignKeys().stream().filter(fk -> fk.column().equals("user_id")).findFirst())
                .map(ForeignKey::targetTable).orElse(null);
        if (both.size() == 1) {
            return both.iterator().next();
        }
        if (adminLogUser != null && (both.isEmpty() || both.contains(adminLogUser))) {
            return adminLogUser;
        }
        if (both.isEmpty() && schema.table("auth_user").isPresent()) {
            return "auth_user";
        }
        if (both.isEmpty()) {
            throw new IncompatibleDatabaseException("cannot find the user table (no table links users to auth_group "
                    + "and auth_permission); name it explicitly");
        }
        throw new IncompatibleDatabaseException("several tables look like the user table " + both + "; name it explicitly");
    }

    private static Set<String> linkedTo(SchemaCatalog schema, String target) {
        Set<String> owners = new LinkedHashSet<>();
        for (String name : schema.tableNames()) {
            Table table = schema.table(name).orElseThrow();
            if (table.columns().size() == 3 && table.foreignKeys().size() == 2 && table.foreignKeysTo(target).size() == 1) {
                for (ForeignKey fk : table.foreignKeys()) {
                    if (!fk.targetTable().equalsIgnoreCase(target)) {
                        owners.add(fk.targetTable());
                    }
                }
            }
        }
        return owners;
    }

    /** The latest applied migrations of auth and contenttypes, and the oldest release they imply. */
    public static DjangoVersion djangoVersion(Handle handle, SchemaCatalog schema) {
        if (schema.table("django_migrations").isEmpty()) {
            return DjangoVersion.unknown();
        }
        Map<String, String> latest = new LinkedHashMap<>();
        for (String app : List.of("auth", "contenttypes")) {
            Jdbc.forEach(handle, "SELECT name FROM django_migrations WHERE app = ? ORDER BY name DESC LIMIT 1",
                    rs -> latest.put(app, rs.getString(1)), app);
        }
        String release = latest.containsKey("auth") ? AUTH_MIGRATION_RELEASE.get(latest.get("auth")) : null;
        return new DjangoVersion(release, latest);
    }
}
