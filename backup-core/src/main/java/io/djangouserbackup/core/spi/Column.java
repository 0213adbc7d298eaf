package io.djangouserbackup.core.spi;

/**
 * A column of a database table as the database declares it.
 *
 * @param name         the column name
 * @param declaredType the type as declared, e.g. {@code varchar(150)}, {@code bool}, {@code datetime}
 * @param type         what the declared type means
 * @param maxLength    the character limit of a {@code varchar(n)}/{@code char(n)} column, or {@code null}
 * @param notNull      whether the column refuses NULL
 * @param hasDefault   whether the database fills the column when an insert leaves it out
 * @param primaryKey   whether the column is (part of) the primary key
 */
public record Column(String name, String declaredType, ColumnType type, Integer maxLength, boolean notNull,
                     boolean hasDefault, boolean primaryKey) {
}
