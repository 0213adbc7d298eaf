package io.djangouserbackup.core.spi;

import io.djangouserbackup.core.IncompatibleDatabaseException;
import io.djangouserbackup.core.InvalidBackupException;
import io.djangouserbackup.model.PermissionKey;
import io.djangouserbackup.model.Sections;
import java.util.Objects;

/**
 * How a value refers to a row of another section, in the document and in the database: a user by id, a group by
 * name, a permission or a content type by natural key, a row of an included table by its primary key. The same
 * reference serves a foreign-key column of a table and the far side of a many-to-many {@link LinkTable}.
 *
 * <p>Exporting turns the source database's value into the document's ({@link #toDocument}); the check pass
 * refuses a value that names no row of the backup (or, for content types, of the target), naming its place
 * ({@link #check}); writing turns the document's value into the target's ({@link #toTarget}), after the section
 * referred to was written.
 *
 * <pre>{@code
 * Reference owner = Reference.users();
 * Object key = owner.check(row.get("user_id"), place + ".user_id", context);   // check pass
 * Object bound = owner.toTarget(row.get("user_id"), context);                 // write pass
 * }</pre>
 */
public interface Reference {

    /** The permissions of the backup that the target cannot hold (no content type); references to them fail. */
    String UNAVAILABLE_PERMISSIONS = Sections.PERMISSIONS + ".unavailable";

    /** The section whose rows are referred to, or {@code null} for content types (shared rows no section holds). */
    String section();

    /** The document form of a referring value as the source database holds it ({@code null} stays {@code null}). */
    Object toDocument(Object databaseValue, MapperContext context);

    /**
     * Checks a document value that is not {@code null} and returns the key it stands for, noting it as referenced.
     *
     * @throws InvalidBackupException        when the backup holds no such row, naming the place
     * @throws IncompatibleDatabaseException when the target cannot hold the row referred to
     */
    Object check(Object value, String place, MapperContext context);

    /** The value to bind in the target for a checked document value ({@code null} stays {@code null}). */
    Object toTarget(Object value, MapperContext context);

    /** Users, by id (users keep their ids). */
    static Reference users() {
        return byPrimaryKey(Sections.USERS, "user");
    }

    /**
     * Rows of a section that keep their primary key in the target (users, rows of included tables): an integer
     * key is checked with {@link References#isDeclaredId}, any other with {@link References#isDeclared}.
     *
     * @param noun what one row is called in messages, e.g. {@code user}
     */
    static Reference byPrimaryKey(String section, String noun) {
        Objects.requireNonNull(section, "section");
        Objects.requireNonNull(noun, "noun");
        return new Reference() {
            @Override
            public String section() {
                return section;
            }

            @Override
            public Object toDocument(Object databaseValue, MapperContext context) {
                return databaseValue;
            }

            @Override
            public Object check(Object value, String place, MapperContext context) {
                boolean known;
                if (value instanceof Long id) {
                    known = context.references().isDeclaredId(section, id);
                } else if (value instanceof String key) {
                    known = context.references().isDeclared(section, key);
                } else {
                    throw new InvalidBackupException(place, "expected a " + noun + " id, got " + ColumnValues.jsonType(value));
                }
                if (!known) {
                    String shown = value instanceof String ? "'" + value + "'" : String.valueOf(value);
                    throw new InvalidBackupException(place, noun + " " + shown + " is not in the backup's " + section);
                }
                return value;
            }

            @Override
            public Object toTarget(Object value, MapperContext context) {
                return value;
            }

            @Override
            public String toString() {
                return section + " by primary key";
            }
        };
    }

    /** Groups, by name (a merge matches groups by name, and their ids may differ). */
    static Reference groups() {
        return new Reference() {
            @Override
            public String section() {
                return Sections.GROUPS;
            }

            @Override
            public Object toDocument(Object databaseValue, MapperContext context) {
                return databaseValue == null ? null : context.naturalKeys().groupNameById(((Number) databaseValue).longValue());
            }

            @Override
            public Object check(Object value, String place, MapperContext context) {
                if (!(value instanceof String name)) {
                    throw new InvalidBackupException(place, "expected a group name, got " + ColumnValues.jsonType(value));
                }
                if (!context.references().isDeclared(Sections.GROUPS, name)) {
                    throw new InvalidBackupException(place, "group '" + name + "' is not in the backup's groups");
                }
                return name;
            }

            @Override
            public Object toTarget(Object value, MapperContext context) {
                if (value == null) {
                    return null;
                }
                Long id = context.references().resolved(Sections.GROUPS, value);
                if (id == null) {
                    throw new IllegalStateException("group was not resolved: " + value);
                }
                return id;
            }

            @Override
            public String toString() {
                return "groups by name";
            }
        };
    }

    /** Permissions, by natural key {@code {"app_label", "model", "codename"}}, which must be in the backup. */
    static Reference permissions() {
        return new Reference() {
            @Override
            public String section() {
                return Sections.PERMISSIONS;
            }

            @Override
            public Object toDocument(Object databaseValue, MapperContext context) {
                if (databaseValue == null) {
                    return null;
                }
                PermissionKey key = context.naturalKeys().permissionById(((Number) databaseValue).longValue());
                return key == null ? null : key.toRow();
            }

            @Override
            public Object check(Object value, String place, MapperContext context) {
                PermissionKey key = NaturalKeys.permissionKey(value, place);
                References references = context.references();
                if (!references.isDeclared(Sections.PERMISSIONS, key)) {
                    throw new InvalidBackupException(place, "permission " + key + " is not in the backup's permissions");
                }
                if (references.isDeclared(UNAVAILABLE_PERMISSIONS, key)) {
                    throw new IncompatibleDatabaseException(place + ": permission " + key
                            + " cannot be restored: content type " + key.appLabel() + "." + key.model()
                            + " does not exist in the target database (is that app installed and migrated?)");
                }
                references.markReferenced(Sections.PERMISSIONS, key);
                return key;
            }

            @Override
            public Object toTarget(Object value, MapperContext context) {
                if (value == null) {
                    return null;
                }
                PermissionKey key = value instanceof PermissionKey k ? k : NaturalKeys.permissionKey(value, "permission");
                Long id = context.references().resolved(Sections.PERMISSIONS, key);
                if (id == null) {
                    throw new IllegalStateException("permission " + key + " was not resolved");
                }
                return id;
            }

            @Override
            public String toString() {
                return "permissions by natural key";
            }
        };
    }

    /**
     * Content types, by natural key {@code {"app_label", "model"}}, resolved in the target: one the target lacks
     * is refused in the check pass (its app is not installed or not migrated there).
     */
    static Reference contentTypes() {
        return new Reference() {
            @Override
            public String section() {
                return null;
            }

            @Override
            public Object toDocument(Object databaseValue, MapperContext context) {
                if (databaseValue == null) {
                    return null;
                }
                NaturalKeys.ContentType key = context.naturalKeys().contentTypeById(((Number) databaseValue).longValue());
                return key == null ? null : key.toRow();
            }

            @Override
            public Object check(Object value, String place, MapperContext context) {
                NaturalKeys.ContentType key = NaturalKeys.contentTypeKey(value, place);
                if (context.handle().isPresent() && context.naturalKeys().contentTypeId(key) == null) {
                    throw new IncompatibleDatabaseException(place + ": content type " + key + " does not exist in the target"
                            + " database (is that app installed and migrated?)");
                }
                return key;
            }

            @Override
            public Object toTarget(Object value, MapperContext context) {
                if (value == null) {
                    return null;
                }
                NaturalKeys.ContentType key = value instanceof NaturalKeys.ContentType k ? k : NaturalKeys.contentTypeKey(value, "content type");
                Long id = context.naturalKeys().contentTypeId(key);
                if (id == null) {
                    throw new IllegalStateException("content type " + key + " was not resolved");
                }
                return id;
            }

            @Override
            public String toString() {
                return "content types by natural key";
            }
        };
    }
}
