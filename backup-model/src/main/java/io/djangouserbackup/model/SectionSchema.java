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
 */
public record SectionSchema(String table, Map<String, String> columns) {

    public SectionSchema {
        Objects.requireNonNull(table, "table");
        columns = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(columns, "columns")));
    }
}
