package io.djangouserbackup.core.spi;

import io.djangouserbackup.core.DatabaseAccessException;
import io.djangouserbackup.core.InvalidBackupException;
import io.djangouserbackup.model.PermissionKey;
import io.djangouserbackup.model.Row;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/**
 * The natural keys of one database's shared rows, looked up once per run: content types by
 * {@code (app_label, model)}, permissions by {@code (app_label, model, codename)} and groups by name. Their ids
 * differ between databases (another app migrated first gives every content type another id), so a backup never
 * holds them; a column or link that points at one of these rows is written as its natural key and resolved in
 * the target. Get the run's instance from {@link MapperContext#naturalKeys()}.
 */
public final class NaturalKeys {

    /**
     * A content type by natural key, in the document {@code {"app_label": ..., "model": ...}}.
     *
     * @param appLabel the app, e.g. {@code auth}
     * @param model    the model, lower case, e.g. {@code user}
     */
    public record ContentType(String appLabel, String model) implements Comparable<ContentType> {
        public ContentType {
            Objects.requireNonNull(appLabel, "appLabel");
            Objects.requireNonNull(model, "model");
        }

        /** The key as a row of the document. */
        public Row toRow() {
            return Row.builder().put("app_label", appLabel).put("model", model).build();
        }

        @Override
        public int compareTo(ContentType other) {
            int byApp = appLabel.compareTo(other.appLabel);
            return byApp != 0 ? byApp : model.compareTo(other.model);
        }

        @Override
        public String toString() {
            return appLabel + "." + model;
        }
    }

    private final Handle handle;
    private final Dialect dialect;
    private final SchemaCatalog schema;
    private Map<Long, ContentType> contentTypeById;
    private Map<ContentType, Long> contentTypeIdByKey;
    private Map<Long, PermissionKey> permissionById;
    private Map<PermissionKey, Long> permissionIdByKey;
    private Map<Long, String> groupNameById;
    private Map<String, Long> groupIdByName;

    /** The natural keys of the database behind the handle. */
    public NaturalKeys(Handle handle, Dialect dialect, SchemaCatalog schema) {
        this.handle = Objects.requireNonNull(handle, "handle");
        this.dialect = Objects.requireNonNull(dialect, "dialect");
        this.schema = Objects.requireNonNull(schema, "schema");
    }

    /** The content type with this id, or {@code null}. */
    public ContentType contentTypeById(long id) {
        loadContentTypes();
        return contentTypeById.get(id);
    }

    /** The id of the content type in this database, or {@code null} when it has none of that key. */
    public Long contentTypeId(ContentType key) {
        loadContentTypes();
        return contentTypeIdByKey.get(key);
    }

    /** The permission with this id, or {@code null}. */
    public PermissionKey permissionById(long id) {
        loadPermissions();
        return permissionById.get(id);
    }

    /** The id of the permission in this database, or {@code null} when it has none of that key. */
    public Long permissionId(PermissionKey key) {
        loadPermissions();
        return permissionIdByKey.get(key);
    }

    /** The name of the group with this id, or {@code null}. */
    public String groupNameById(long id) {
        loadGroups();
        return groupNameById.get(id);
    }

    /** The id of the group of this name in this database, or {@code null}. */
    public Long groupId(String name) {
        loadGroups();
        return groupIdByName.get(name);
    }

    private void loadGroups() {
        if (groupNameById == null) {
            groupNameById = new HashMap<>();
            groupIdByName = new HashMap<>();
            query("SELECT id, name FROM " + dialect.quote(schema.require("auth_group").name()), rs -> {
                groupNameById.put(rs.getLong(1), rs.getString(2));
                groupIdByName.put(rs.getString(2), rs.getLong(1));
            });
        }
    }

    private void loadContentTypes() {
        if (contentTypeById == null) {
            contentTypeById = new HashMap<>();
            contentTypeIdByKey = new HashMap<>();
            query("SELECT id, app_label, model FROM " + dialect.quote(schema.require("django_content_type").name()), rs -> {
                ContentType key = new ContentType(rs.getString(2), rs.getString(3));
                contentTypeById.put(rs.getLong(1), key);
                contentTypeIdByKey.put(key, rs.getLong(1));
            });
        }
    }

    private void loadPermissions() {
        if (permissionById == null) {
            permissionById = new HashMap<>();
            permissionIdByKey = new HashMap<>();
            query("SELECT p.id, ct.app_label, ct.model, p.codename FROM " + dialect.quote(schema.require("auth_permission").name())
                    + " p JOIN " + dialect.quote(schema.require("django_content_type").name()) + " ct ON ct.id = p.content_type_id", rs -> {
                PermissionKey key = new PermissionKey(rs.getString(2), rs.getString(3), rs.getString(4));
                permissionById.put(rs.getLong(1), key);
                permissionIdByKey.put(key, rs.getLong(1));
            });
        }
    }

    private interface RowReader {
        void read(ResultSet rs) throws SQLException;
    }

    private void query(String sql, RowReader reader) {
        try (PreparedStatement statement = handle.getConnection().prepareStatement(sql);
             ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                reader.read(rs);
            }
        } catch (SQLException e) {
            throw new DatabaseAccessException("reading natural keys failed: " + e.getMessage(), e);
        }
    }

    /**
     * Reads a permission reference of the document, {@code {"app_label": ..., "model": ..., "codename": ...}}.
     *
     * @throws InvalidBackupException naming the place when it is not one
     */
    public static PermissionKey permissionKey(Object value, String place) {
        Row row = keyRow(value, place, "a permission {app_label, model, codename}", PERMISSION_FIELDS);
        return new PermissionKey(text(row, "app_label", place), text(row, "model", place), text(row, "codename", place));
    }

    /**
     * Reads a content-type reference of the document, {@code {"app_label": ..., "model": ...}}.
     *
     * @throws InvalidBackupException naming the place when it is not one
     */
    public static ContentType contentTypeKey(Object value, String place) {
        Row row = keyRow(value, place, "a content type {app_label, model}", CONTENT_TYPE_FIELDS);
        return new ContentType(text(row, "app_label", place), text(row, "model", place));
    }

    private static final Set<String> PERMISSION_FIELDS = Set.of("app_label", "model", "codename");
    private static final Set<String> CONTENT_TYPE_FIELDS = Set.of("app_label", "model");

    private static Row keyRow(Object value, String place, String expected, Set<String> fields) {
        if (!(value instanceof Row row)) {
            throw new InvalidBackupException(place, "expected " + expected + ", got " + ColumnValues.jsonType(value));
        }
        for (int i = 0; i < row.size(); i++) {
            String name = row.name(i);
            if (!fields.contains(name)) {
                throw new InvalidBackupException(place + "." + name, "unknown field");
            }
        }
        return row;
    }

    private static String text(Row row, String field, String place) {
        if (!row.has(field)) {
            throw new InvalidBackupException(place + "." + field, "missing");
        }
        if (!(row.get(field) instanceof String text)) {
            throw new InvalidBackupException(place + "." + field, "expected a string, got " + ColumnValues.jsonType(row.get(field)));
        }
        return text;
    }

}
