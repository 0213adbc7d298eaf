package io.djangouserbackup.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a backup says about the table behind one of its sections, as the source database declared it: so that an
 * import can tell, before writing, whether the target can hold each column's values (a PostgreSQL array cannot move
 * to SQLite, say), and so that a backup describes itself.
 *
 * <pre>{@code
 * "sections": {"users": {"table": "auth_user", "columns": {"id": "integer", "username": "varchar(150)"}}}
 * }</pre>
 *
 * @param table   the source table's name
 * @param columns column name to its declared type in the source, in table order
 * @param more    the further keys of the description, as the section's mapper wrote them: for a table added with
 *                {@code export --table}, {@code "key"} (its primary-key column), {@code "references"} (each
 *                foreign-key column's section) and {@code "links"} (its many-to-many tables); empty for the built-in
 *                sections
 */
public record SectionSchema(String table, Map<String, String> columns, Row more) {

    public SectionSchema {
        Objects.requireNonNull(table, "table");
        columns = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(columns, "columns")));
        more = more == null ? Row.builder().build() : more;
    }

    /** A description of the table and its columns only. */
    public SectionSchema(String table, Map<String, String> columns) {
        this(table, columns, null);
    }
}
