package io.djangouserbackup.core.mappers;

import io.djangouserbackup.core.InvalidBackupException;
import io.djangouserbackup.core.spi.ColumnValues;
import io.djangouserbackup.core.spi.Dialect;
import io.djangouserbackup.core.spi.ForeignKey;
import io.djangouserbackup.core.spi.MapperContext;
import io.djangouserbackup.core.spi.SchemaCatalog;
import io.djangouserbackup.core.spi.Table;
import io.djangouserbackup.model.PermissionKey;
import io.djangouserbackup.model.Row;
import io.djangouserbackup.model.Sections;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * A many-to-many link table seen from its owner: the owner's rows carry the linked rows as a list field (a user's
 * {@code groups} by name, its {@code user_permissions} by natural key, a model's {@code assigned_users} by id).
 */
final class Link {

    /** How the far side of a link appears in the document. */
    enum Kind {
        /** A group, by name. */
        GROUP,
        /** A permission, by natural key. */
        PERMISSION,
        /** A user, by id. */
        USER
    }

    final String field;
    final Table table;
    final String ownerColumn;
    final String targetColumn;
    final Kind kind;

    private Link(String field, Table table, String ownerColumn, String targetColumn, Kind kind) {
        this.field = field;
        this.table = table;
        this.ownerColumn = ownerColumn;
        this.targetColumn = targetColumn;
        this.kind = kind;
    }

    /** A link known only by field and kind, for checking a backup without a database. */
    static Link forCheck(String field, Kind kind) {
        return new Link(field, null, null, null, kind);
    }

    /**
     * The link table between {@code owner} and {@code target}, or null when there is none.
     *
     * @throws io.djangouserbackup.core.IncompatibleDatabaseException when there are several
     */
    static Link find(SchemaCatalog schema, String field, String owner, String target, Kind kind) {
        List<Table> candidates = schema.linkTables(owner, target);
        if (candidates.isEmpty()) {
            return null;
        }
        if (candidates.size() > 1) {
            throw new io.djangouserbackup.core.IncompatibleDatabaseException("tables "
                    + candidates.stream().map(Table::name).toList() + " all link " + owner + " to " + target
                    + "; cannot tell which holds " + field);
        }
        Table table = candidates.get(0);
        ForeignKey ownerKey = table.foreignKeysTo(owner).get(0);
        ForeignKey targetKey = table.foreignKeysTo(target).get(0);
        return new Link(field, table, ownerKey.column(), targetKey.column(), kind);
    }

    /** Selects {@code (owner id, far-side value...)} for every link, ordered by owner id. */
    String exportSql(Dialect d, SchemaCatalog schema) {
        String l = d.quote(table.name());
        String owner = "l." + d.quote(ownerColumn);
        String target = "l." + d.quote(targetColumn);
        return switch (kind) {
            case GROUP -> "SELECT " + owner + ", g.name FROM " + l + " l JOIN " + d.quote(schema.require("auth_group").name())
                    + " g ON g.id = " + target + " ORDER BY " + owner;
            case PERMISSION -> "SELECT " + owner + ", ct.app_label, ct.model, p.codename FROM " + l + " l JOIN "
                    + d.quote(schema.require("auth_permission").name()) + " p ON p.id = " + target + " JOIN "
                    + d.quote(schema.require("django_content_type").name()) + " ct ON ct.id = p.content_type_id ORDER BY " + owner;
            case USER -> "SELECT " + owner + ", " + target + " FROM " + l + " l ORDER BY " + owner;
        };
    }

    /** The far-side value of the current link row: a group name, a permission's key, a user id. */
    Object read(ResultSet rs) throws SQLException {
        return switch (kind) {
            case GROUP -> rs.getString(2);
            case PERMISSION -> new PermissionKey(rs.getString(2), rs.getString(3), rs.getString(4));
            case USER -> rs.getLong(2);
        };
    }

    /**
     * Sorts the values {@link #read} gave for one row the same way on every engine, and turns them into the
     * document's form (a permission's key into its object).
     */
    @SuppressWarnings("unchecked")
    void finish(List<Object> values) {
        if (values.size() > 1) {
            values.sort((a, b) -> ((Comparable<Object>) a).compareTo(b));
        }
        if (kind == Kind.PERMISSION) {
            values.replaceAll(key -> ((PermissionKey) key).toRow());
        }
    }

    /** Checks the link list of one row: each entry must name a row the backup holds, once. */
    void check(Row row, String place, MapperContext context) {
        List<?> values = Fields.requireList(row, field, place);
        java.util.Set<Object> seen = new java.util.HashSet<>();
        for (int i = 0; i < values.size(); i++) {
            Object value = values.get(i);
            Object key = switch (kind) {
                case GROUP -> {
                    if (!(value instanceof String name)) {
                        throw new InvalidBackupException(at(place, i), "expected a group name, got " + ColumnValues.jsonType(value));
                    }
                    if (!context.references().isDeclared(Sections.GROUPS, name)) {
                        throw new InvalidBackupException(at(place, i), "group '" + name + "' is not in the backup's groups");
                    }
                    yield name;
                }
                case PERMISSION -> PermissionsMapper.checkReference(value, at(place, i), context);
                case USER -> {
                    if (!(value instanceof Long id)) {
                        throw new InvalidBackupException(at(place, i), "expected a user id, got " + ColumnValues.jsonType(value));
                    }
                    if (!context.references().isDeclaredId(Sections.USERS, id)) {
                        throw new InvalidBackupException(at(place, i), "user " + id + " is not in the backup's users");
                    }
                    yield id;
                }
            };
            if (!seen.add(key)) {
                throw new InvalidBackupException(at(place, i), "listed twice");
            }
        }
    }

    /** The place of entry {@code i}, spelled out only when a message needs it (or a permission check might). */
    private String at(String place, int i) {
        return place + "." + field + "[" + i + "]";
    }

    /** The target id of the far side of one checked link entry. */
    long targetId(Object value, MapperContext context) {
        return switch (kind) {
            case GROUP -> {
                Long id = context.references().resolved(Sections.GROUPS, value);
                if (id == null) {
                    throw new IllegalStateException("group was not resolved: " + value);
                }
                yield id;
            }
            case PERMISSION -> PermissionsMapper.targetId(Fields.permissionKey(value, field), context);
            case USER -> (Long) value;
        };
    }

    private String currentTargetsSql;
    private String deleteOneSql;
    private String insertSql;

    String currentTargetsSql(Dialect d) {
        if (currentTargetsSql == null) {
            currentTargetsSql = "SELECT " + d.quote(targetColumn) + " FROM " + d.quote(table.name()) + " WHERE " + d.quote(ownerColumn) + " = ?";
        }
        return currentTargetsSql;
    }

    String deleteOneSql(Dialect d) {
        if (deleteOneSql == null) {
            deleteOneSql = "DELETE FROM " + d.quote(table.name()) + " WHERE " + d.quote(ownerColumn) + " = ? AND " + d.quote(targetColumn) + " = ?";
        }
        return deleteOneSql;
    }

    String insertSql(Dialect d) {
        if (insertSql == null) {
            insertSql = "INSERT INTO " + d.quote(table.name()) + " (" + d.quote(ownerColumn) + ", " + d.quote(targetColumn) + ") VALUES (?, ?)";
        }
        return insertSql;
    }
}
