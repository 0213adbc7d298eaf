package io.djangouserbackup.core.mappers;

import io.djangouserbackup.core.InvalidBackupException;
import io.djangouserbackup.core.spi.ColumnValues;
import io.djangouserbackup.model.Row;
import java.util.List;
import java.util.Set;

/** Checks of single fields of a row, with messages that name the place. */
final class Fields {
    private Fields() {
    }

    static long requireId(Row row, String place) {
        Object id = require(row, "id", place);
        if (id instanceof java.math.BigDecimal big && big.scale() <= 0) {
            throw new InvalidBackupException(place + ".id", "an integer of " + big.precision() + " digits, beyond the 64 bits of an id");
        }
        if (!(id instanceof Long value)) {
            throw new InvalidBackupException(place + ".id", "expected an integer, got " + ColumnValues.jsonType(id));
        }
        return value;
    }

    static Object require(Row row, String field, String place) {
        if (!row.has(field)) {
            throw new InvalidBackupException(place + "." + field, "missing");
        }
        return row.get(field);
    }

    static String requireString(Row row, String field, String place) {
        Object value = require(row, field, place);
        if (!(value instanceof String text)) {
            throw new InvalidBackupException(place + "." + field, "expected a string, got " + ColumnValues.jsonType(value));
        }
        return text;
    }

    static List<?> requireList(Row row, String field, String place) {
        Object value = require(row, field, place);
        if (!(value instanceof List<?> list)) {
            throw new InvalidBackupException(place + "." + field, "expected an array, got " + ColumnValues.jsonType(value));
        }
        return list;
    }

    static void onlyFields(Row row, Set<String> allowed, String place) {
        for (String name : row.names()) {
            if (!allowed.contains(name)) {
                throw new InvalidBackupException(place + "." + name, "unknown field");
            }
        }
    }
}
