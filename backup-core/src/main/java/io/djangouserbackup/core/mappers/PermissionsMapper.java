package io.djangouserbackup.core.mappers;

import io.djangouserbackup.core.InvalidBackupException;
import io.djangouserbackup.core.spi.ColumnValues;
import io.djangouserbackup.core.spi.Dialect;
import io.djangouserbackup.core.spi.MapperContext;
import io.djangouserbackup.core.spi.Reference;
import io.djangouserbackup.core.spi.RowAction;
import io.djangouserbackup.core.spi.SchemaCatalog;
import io.djangouserbackup.core.spi.SectionRun;
import io.djangouserbackup.core.spi.Table;
import io.djangouserbackup.core.spi.TableMapper;
import io.djangouserbackup.model.PermissionKey;
import io.djangouserbackup.model.Row;
import io.djangouserbackup.model.Sections;
import io.djangouserbackup.core.internal.Jdbc;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;

/**
 * The {@code permissions} section: every row of {@code auth_permission} by natural key,
 * {@code {"app_label", "model", "codename", "name"}}, sorted by that key.
 *
 * <p>On import a permission is matched by natural key; one the target lacks is created when its content type
 * exists there. A permission whose content type the target lacks is an error if any group or user in the backup
 * holds it, and is otherwise left out with a note (Django keeps content types of removed apps around, and a
 * freshly migrated target rightly has none of them).
 */
public final class PermissionsMapper implements TableMapper {

    private static final Set<String> FIELDS = Set.of("app_label", "model", "codename", "name");

    @Override
    public String section() {
        return Sections.PERMISSIONS;
    }

    @Override
    public SectionRun start(MapperContext context) {
        return new Run(context);
    }

    private static final class Run implements SectionRun {
        private final MapperContext context;
        private Map<List<String>, Long> contentTypes;
        private Map<PermissionKey, Long> permissions;
        private Table permissionTable;

        Run(MapperContext context) {
            this.context = context;
        }

        private void loadTarget() {
            if (permissions != null) {
                return;
            }
            SchemaCatalog schema = context.schema();
            Table contentTypeTable = schema.require("django_content_type");
            permissionTable = schema.require("auth_permission");
            Dialect d = context.dialect();
            Handle handle = context.handle().orElseThrow();
            contentTypes = new HashMap<>();
            Jdbc.forEach(handle, "SELECT id, app_label, model FROM " + d.quote(contentTypeTable.name()),
                    rs -> contentTypes.put(List.of(rs.getString(2), rs.getString(3)), rs.getLong(1)));
            permissions = new HashMap<>();
            Jdbc.forEach(handle, "SELECT p.id, ct.app_label, ct.model, p.codename FROM " + d.quote(permissionTable.name())
                            + " p JOIN " + d.quote(contentTypeTable.name()) + " ct ON ct.id = p.content_type_id",
                    rs -> permissions.put(new PermissionKey(rs.getString(2), rs.getString(3), rs.getString(4)), rs.getLong(1)));
        }

        @Override
        public void exportRows(Consumer<Row> sink) {
            Dialect d = context.dialect();
            SchemaCatalog schema = context.schema();
            List<Row> rows = Jdbc.list(context.handle().orElseThrow(), "SELECT ct.app_label, ct.model, p.codename, p.name FROM "
                            + d.quote(schema.require("auth_permission").name()) + " p JOIN "
                            + d.quote(schema.require("django_content_type").name()) + " ct ON ct.id = p.content_type_id",
                    rs -> Row.builder().put("app_label", rs.getString(1)).put("model", rs.getString(2))
                            .put("codename", rs.getString(3)).put("name", rs.getString(4)).build());
            // Sorted here, not in SQL, so that every engine's collation gives the same order.
            rows.sort((a, b) -> key(a).compareTo(key(b)));
            rows.forEach(sink);
        }

        private static PermissionKey key(Row row) {
            return new PermissionKey((String) row.get("app_label"), (String) row.get("model"), (String) row.get("codename"));
        }

        @Override
        public RowAction check(Row row, String place) {
            Fields.onlyFields(row, FIELDS, place);
            PermissionKey key = new PermissionKey(Fields.requireString(row, "app_label", place),
                    Fields.requireString(row, "model", place), Fields.requireString(row, "codename", place));
            Object name = Fields.require(row, "name", place);
            if (!context.references().declare(Sections.PERMISSIONS, key)) {
                throw new InvalidBackupException(place, "permission " + key + " is listed twice");
            }
            if (context.handle().isEmpty()) {
                if (!(name instanceof String)) {
                    throw new InvalidBackupException(place + ".name", "expected a string, got " + ColumnValues.jsonType(name));
                }
                return RowAction.SKIP;
            }
            loadTarget();
            ColumnValues.check(name, context.schema().requireColumn(permissionTable, "name"), permissionTable.name(),
                    place + ".name");
            ColumnValues.check(key.codename(), context.schema().requireColumn(permissionTable, "codename"),
                    permissionTable.name(), place + ".codename");
            if (permissions.containsKey(key)) {
                return RowAction.SKIP;
            }
            if (!contentTypes.containsKey(List.of(key.appLabel(), key.model()))) {
                context.references().declare(Reference.UNAVAILABLE_PERMISSIONS, key);
                return RowAction.SKIP;
            }
            return RowAction.CREATE;
        }

        @Override
        public void write(Row row, String place) {
            loadTarget();
            PermissionKey key = key(row);
            Long id = permissions.get(key);
            if (id == null) {
                Long contentType = contentTypes.get(List.of(key.appLabel(), key.model()));
                if (contentType == null) {
                    context.note("permission " + key + " was not restored: the target has no content type "
                            + key.appLabel() + "." + key.model() + ", and no group or user in the backup holds it");
                    return;
                }
                Dialect d = context.dialect();
                id = Jdbc.insertReturningId(context.handle().orElseThrow(), "INSERT INTO " + d.quote(permissionTable.name())
                        + " (content_type_id, codename, name) VALUES (?, ?, ?)", "id", contentType, key.codename(), row.get("name"));
                permissions.put(key, id);
            }
            context.references().resolve(Sections.PERMISSIONS, key, id);
        }
    }
}
