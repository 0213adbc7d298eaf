package io.djangouserbackup.core.spi;

import java.util.List;
import java.util.Optional;

/**
 * A table as the database describes it.
 *
 * @param name        the table name
 * @param columns     the columns in table order
 * @param foreignKeys the single-column foreign keys
 */
public record Table(String name, List<Column> columns, List<ForeignKey> foreignKeys) {

    public Table {
        columns = List.copyOf(columns);
        foreignKeys = List.copyOf(foreignKeys);
    }

    /** The column of that name, if any. */
    public Optional<Column> column(String columnName) {
        return columns.stream().filter(c -> c.name().equals(columnName)).findFirst();
    }

    /** The column names in table order. */
    public List<String> columnNames() {
        return columns.stream().map(Column::name).toList();
    }

    /** The foreign keys that point at the given table. */
    public List<ForeignKey> foreignKeysTo(String targetTable) {
        return foreignKeys.stream().filter(fk -> fk.targetTable().equalsIgnoreCase(targetTable)).toList();
    }
}
