package io.djangouserbackup.core.internal;

import io.djangouserbackup.core.spi.Dialect;
import io.djangouserbackup.core.spi.Table;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;

/**
 * Which text columns hold a {@code JSONField}'s value, which their declared type does not say on SQLite and MariaDB:
 * Django's {@code JSON_VALID} check does. The fixture writer and reader both ask here, so a JSON field is written
 * as JSON and read back from it alike.
 */
public final class JsonColumns {
    private static final Pattern JSON_CHECK = Pattern.compile("json_valid\\s*\\(\\s*[\"`\\[]?([A-Za-z0-9_]+)[\"`\\]]?\\s*\\)",
            Pattern.CASE_INSENSITIVE);

    private JsonColumns() {
    }

    /**
     * The text columns of a table that Django made for a {@code JSONField}: on SQLite and MariaDB a text column
     * with a {@code JSON_VALID} check (PostgreSQL's {@code jsonb} and MySQL's {@code json} say so themselves).
     *
     * @param handle  the database
     * @param dialect its dialect
     * @param table   the table
     */
    public static Set<String> of(Handle handle, Dialect dialect, Table table) {
        Set<String> columns = new LinkedHashSet<>();
        boolean longText = table.columns().stream().anyMatch(c -> c.declaredType().toLowerCase(Locale.ROOT).equals("longtext"));
        List<String> checks = switch (dialect.name()) {
            case "sqlite" -> Jdbc.list(handle, "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?",
                    rs -> rs.getString(1), table.name());
            // MariaDB names a check's table; MySQL (whose JSONField is a json column) does not.
            case "mysql" -> longText && !Jdbc.list(handle, "SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA ="
                    + " 'information_schema' AND TABLE_NAME = 'CHECK_CONSTRAINTS' AND COLUMN_NAME = 'TABLE_NAME'",
                    rs -> rs.getInt(1)).isEmpty()
                    ? Jdbc.list(handle, "SELECT CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS"
                            + " WHERE CONSTRAINT_SCHEMA = DATABASE() AND TABLE_NAME = ?", rs -> rs.getString(1), table.name())
                    : List.of();
            default -> List.of();
        };
        for (String check : checks) {
            var matcher = JSON_CHECK.matcher(check == null ? "" : check);
            while (matcher.find()) {
                columns.add(matcher.group(1));
            }
        }
        return columns;
    }
}
