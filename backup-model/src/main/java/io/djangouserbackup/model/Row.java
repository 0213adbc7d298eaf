package io.djangouserbackup.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One JSON object of the backup document: an ordered, immutable map from field name to value.
 *
 * <p>Values are JSON values as Java objects: {@code null}, {@link Boolean}, {@link Long} (JSON integers),
 * {@link Double} (JSON numbers with a fraction or exponent), {@link String}, {@code List<Object>} of such
 * values, or a nested {@code Row}. Field order is kept, so a row written out again reads the same.
 *
 * <pre>{@code
 * Row alice = Row.builder().put("id", 1L).put("username", "alice").put("is_active", true).build();
 * }</pre>
 */
public final class Row {

    private final Map<String, Object> fields;

    private Row(Map<String, Object> fields) {
        this.fields = fields;
    }

    /** Starts an empty row. */
    public static Builder builder() {
        return new Builder();
    }

    /** Copies the given map (in its iteration order), checking that every value is a JSON value. */
    public static Row of(Map<String, ?> fields) {
        Builder builder = builder();
        fields.forEach(builder::put);
        return builder.build();
    }

    /** The field names in document order. */
    public Set<String> names() {
        return fields.keySet();
    }

    /** The fields in document order, read-only. */
    public Map<String, Object> asMap() {
        return fields;
    }

    /** Whether the field is present (it may be present and {@code null}). */
    public boolean has(String name) {
        return fields.containsKey(name);
    }

    /** The value of a field, or {@code null} when absent or JSON null. */
    public Object get(String name) {
        return fields.get(name);
    }

    /** Number of fields. */
    public int size() {
        return fields.size();
    }

    /** A copy of this row with one field set (added at the end when new). */
    public Row with(String name, Object value) {
        Builder builder = builder();
        fields.forEach(builder::put);
        return builder.put(name, value).build();
    }

    /** A copy of this row without the given fields. */
    public Row without(String... names) {
        Builder builder = builder();
        Set<String> drop = Set.of(names);
        fields.forEach((k, v) -> {
            if (!drop.contains(k)) {
                builder.put(k, v);
            }
        });
        return builder.build();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Row other && fields.equals(other.fields);
    }

    @Override
    public int hashCode() {
        return fields.hashCode();
    }

    /** Field names only: rows can hold password hashes, which must never reach a log. */
    @Override
    public String toString() {
        return "Row" + fields.keySet();
    }

    /** Collects fields in order; {@link #build()} freezes them, and the builder is spent. */
    public static final class Builder {
        // Sized for a user row (a dozen columns and two link lists) without a resize.
        private LinkedHashMap<String, Object> fields = new LinkedHashMap<>(32);

        private Builder() {
        }

        /** Sets a field; a second put of the same name replaces the value in place. */
        public Builder put(String name, Object value) {
            Objects.requireNonNull(name, "name");
            if (fields == null) {
                throw new IllegalStateException("this builder has built its row already");
            }
            fields.put(name, freeze(value));
            return this;
        }

        /** Whether the field was already put. */
        public boolean has(String name) {
            return fields != null && fields.containsKey(name);
        }

        /** The row; the builder cannot be used afterwards (its map becomes the row's, without a copy). */
        public Row build() {
            if (fields == null) {
                throw new IllegalStateException("this builder has built its row already");
            }
            Row row = new Row(Collections.unmodifiableMap(fields));
            fields = null;
            return row;
        }
    }

    private static Object freeze(Object value) {
        if (value == null || value instanceof Boolean || value instanceof Long || value instanceof Double
                || value instanceof String || value instanceof Row) {
            return value;
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof Float) {
            return ((Float) value).doubleValue();
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            for (Object element : list) {
                copy.add(freeze(element));
            }
            return Collections.unmodifiableList(copy);
        }
        if (value instanceof Map<?, ?> map) {
            Builder nested = builder();
            map.forEach((k, v) -> nested.put(String.valueOf(k), v));
            return nested.build();
        }
        throw new IllegalArgumentException("not a JSON value: " + value.getClass().getName());
    }
}
