package io.djangouserbackup.core.spi;

/**
 * A foreign key of one column.
 *
 * @param column       the referring column, e.g. {@code user_id}
 * @param targetTable  the referred table, e.g. {@code auth_user}
 * @param targetColumn the referred column, e.g. {@code id}
 */
public record ForeignKey(String column, String targetTable, String targetColumn) {
}
