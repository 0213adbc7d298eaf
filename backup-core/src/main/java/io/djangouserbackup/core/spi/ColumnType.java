package io.djangouserbackup.core.spi;

/** What Django keeps in a column, read from its declared type; decides how a value is checked and bound. */
public enum ColumnType {
    BOOLEAN, INTEGER, REAL, DECIMAL, TEXT, DATETIME, DATE, TIME, BLOB,
    /**
     * Django's {@code DurationField} where the engine has a type of its own for it (PostgreSQL's {@code interval}):
     * integer microseconds in the document, as SQLite and MySQL hold it in a {@code bigint}.
     */
    DURATION,
    /** A declared type this library does not know: any JSON scalar is accepted and stored as it is. */
    OTHER
}
