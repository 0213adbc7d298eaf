package io.djangouserbackup.core.internal;

import io.djangouserbackup.core.spi.Column;
import io.djangouserbackup.core.spi.ColumnType;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads what a declared column type means, for the type names Django's backends declare. */
public final class DeclaredTypes {
    private static final Pattern SIZED = Pattern.compile("(?:var)?char(?:acter)?(?: varying)?\\s*\\(\\s*(\\d+)\\s*\\)");

    private DeclaredTypes() {
    }

    /** A column from its declared type, e.g. {@code varchar(150)} is text of at most 150 characters. */
    public static Column parse(String name, String declaredType, boolean notNull, boolean hasDefault, boolean primaryKey) {
        String declared = declaredType == null ? "" : declaredType.trim().toLowerCase(Locale.ROOT);
        Integer maxLength = null;
        ColumnType type;
        Matcher sized = SIZED.matcher(declared);
        if (sized.matches()) {
            type = ColumnType.TEXT;
            maxLength = Integer.valueOf(sized.group(1));
        } else if (declared.equals("bool") || declared.equals("boolean")) {
            type = ColumnType.BOOLEAN;
        } else if (declared.contains("int")) {
            type = ColumnType.INTEGER;
        } else if (declared.equals("real") || declared.startsWith("double") || declared.equals("float")) {
            type = ColumnType.REAL;
        } else if (declared.startsWith("decimal") || declared.startsWith("numeric")) {
            type = ColumnType.DECIMAL;
        } else if (declared.equals("text") || declared.startsWith("varchar") || declared.startsWith("char")
                || declared.contains("clob")) {
            type = ColumnType.TEXT;
        } else if (declared.equals("datetime") || declared.equals("timestamp")) {
            type = ColumnType.DATETIME;
        } else if (declared.equals("date")) {
            type = ColumnType.DATE;
        } else if (declared.equals("time")) {
            type = ColumnType.TIME;
        } else if (declared.equals("blob")) {
            type = ColumnType.BLOB;
        } else {
            type = ColumnType.OTHER;
        }
        // An INTEGER PRIMARY KEY is SQLite's rowid: the database fills it when an insert leaves it out.
        boolean filled = hasDefault || (primaryKey && type == ColumnType.INTEGER);
        return new Column(name, declaredType, type, maxLength, notNull, filled, primaryKey);
    }

    /**
     * A column a backup's header declares, read as its source engine declares types ({@code engine} as the header
     * names it: {@code postgresql}, {@code mysql}; any other, or none, as SQLite's): MySQL's {@code tinyint(1)} is
     * Django's boolean, PostgreSQL's {@code integer[]} an array's text. A header says neither nullability nor
     * defaults, so the column is nullable and has none.
     */
    public static Column parseDeclared(String engine, String name, String declaredType, boolean primaryKey) {
        if (declaredType != null && "postgresql".equals(engine)) {
            return PostgresDialect.column(name, declaredType, false, false, primaryKey);
        }
        if (declaredType != null && "mysql".equals(engine)) {
            String declared = declaredType.trim().toLowerCase(Locale.ROOT);
            Matcher sized = SIZED.matcher(declared);
            Integer maxLength = sized.matches() ? Integer.valueOf(sized.group(1)) : null;
            return MysqlDialect.column(name, declared.split("[ (]", 2)[0], declaredType, maxLength, false, false, primaryKey);
        }
        return parse(name, declaredType, false, false, primaryKey);
    }

}
