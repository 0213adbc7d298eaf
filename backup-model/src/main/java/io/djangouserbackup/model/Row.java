package io.djangouserbackup.model;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;

/**
 * One JSON object of the backup document: an ordered, immutable map from field name to value.
 *
 * <p>Values are JSON values as Java objects: {@code null}, {@link Boolean}, {@link Long} (JSON integers that fit
 * 64 bits), {@link BigDecimal} (every other JSON number, exactly as written: a fraction, an exponent, or an integer
 * beyond 64 bits), {@link Double} (a value of a floating-point column, written in its shortest exact form),
 * {@link String}, {@code List<Object>} of such values, or a nested {@code Row}. No number passes through binary
 * floating point unless it is one. Field order is kept, so a row written out again reads the same.
 *
 * <pre>{@code
 * Row alice = Row.builder().put("id", 1L).put("username", "alice").put("is_active", true).build();
 * }</pre>
 */
public final class Row {

    // The builder's arrays, handed over without a copy; only the first `size` entries are fields.
    private final String[] names;
    private final int[] hashes;
    private final Object[] values;
    private final int size;

    private Row(String[] names, int[] hashes, Object[] values, int size) {
        this.names = names;
        this.hashes = hashes;
        this.values = values;
        this.size = size;
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
        return asMap().keySet();
    }

    /** The fields in document order, read-only. */
    public Map<String, Object> asMap() {
        return new Fields();
    }

    /** Whether the field is present (it may be present and {@code null}). */
    public boolean has(String name) {
        return indexOf(names, hashes, size, name) >= 0;
    }

    /** The value of a field, or {@code null} when absent or JSON null. */
    public Object get(String name) {
        int i = indexOf(names, hashes, size, name);
        return i < 0 ? null : values[i];
    }

    /** Number of fields. */
    public int size() {
        return size;
    }

    /** The name of the field at {@code index} (0 to {@code size() - 1}), in document order. */
    public String name(int index) {
        return names[Objects.checkIndex(index, size)];
    }

    /** The value of the field at {@code index} (0 to {@code size() - 1}), in document order. */
    public Object value(int index) {
        return values[Objects.checkIndex(index, size)];
    }

    /** A copy of this row with one field set (added at the end when new). */
    public Row with(String name, Object value) {
        Builder builder = builder();
        for (int i = 0; i < size; i++) {
            builder.put(names[i], values[i]);
        }
        return builder.put(name, value).build();
    }

    /** A copy of this row without the given fields. */
    public Row without(String... names) {
        Builder builder = builder();
        Set<String> drop = Set.of(names);
        for (int i = 0; i < size; i++) {
            if (!drop.contains(this.names[i])) {
                builder.put(this.names[i], values[i]);
            }
        }
        return builder.build();
    }

    /** Rows are equal when they hold the same fields with equal values, in any order (as maps are). */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Row other) || other.size != size) {
            return false;
        }
        for (int i = 0; i < size; i++) {
            int j = indexOf(other.names, other.hashes, other.size, names[i]);
            if (j < 0 || !Objects.equals(values[i], other.values[j])) {
                return false;
            }
        }
        return true;
    }

    /** The hash code of {@link #asMap()}, as for any map. */
    @Override
    public int hashCode() {
        int hash = 0;
        for (int i = 0; i < size; i++) {
            hash += names[i].hashCode() ^ Objects.hashCode(values[i]);
        }
        return hash;
    }

    /** Field names only: rows can hold password hashes, which must never reach a log. */
    @Override
    public String toString() {
        return "Row" + Arrays.asList(names).subList(0, size);
    }

    /**
     * Where the name is among the first {@code count} names, or -1. Rows are small (a user row has about fifteen
     * fields), so a scan beats a hash table; names read from a document are interned by the parser and column
     * names are the same strings row after row, so the identity test usually decides, and the kept hash codes
     * spare most {@code equals} calls.
     */
    private static int indexOf(String[] names, int[] hashes, int count, String name) {
        int hash = name.hashCode();
        for (int i = 0; i < count; i++) {
            if (names[i] == name || (hashes[i] == hash && names[i].equals(name))) {
                return i;
            }
        }
        return -1;
    }

    /** The read-only map view of {@link #asMap()}. */
    private final class Fields extends AbstractMap<String, Object> {
        @Override
        public int size() {
            return size;
        }

        @Override
        public boolean containsKey(Object key) {
            return key instanceof String name && has(name);
        }

        @Override
        public Object get(Object key) {
            return key instanceof String name ? Row.this.get(name) : null;
        }

        @Override
        public Set<Entry<String, Object>> entrySet() {
            return new AbstractSet<>() {
                @Override
                public int size() {
                    return size;
                }

                @Override
                public Iterator<Entry<String, Object>> iterator() {
                    return new Iterator<>() {
                        private int next;

                        @Override
                        public boolean hasNext() {
                            return next < size;
                        }

                        @Override
                        public Entry<String, Object> next() {
                            if (next >= size) {
                                throw new NoSuchElementException();
                            }
                            int i = next++;
                            return new SimpleImmutableEntry<>(names[i], values[i]);
                        }
                    };
                }
            };
        }
    }

    /** Collects fields in order; {@link #build()} freezes them, and the builder is spent. */
    public static final class Builder {
        // Sized for a user row (a dozen columns and two link lists) without growing.
        private String[] names = new String[16];
        private int[] hashes = new int[16];
        private Object[] values = new Object[16];
        private int count;
        private boolean built;

        private Builder() {
        }

        /** Sets a field; a second put of the same name replaces the value in place. */
        public Builder put(String name, Object value) {
            Objects.requireNonNull(name, "name");
            checkNotBuilt();
            Object frozen = freeze(value);
            int i = indexOf(names, hashes, count, name);
            if (i >= 0) {
                values[i] = frozen;
                return this;
            }
            if (count == names.length) {
                names = Arrays.copyOf(names, count * 2);
                hashes = Arrays.copyOf(hashes, count * 2);
                values = Arrays.copyOf(values, count * 2);
            }
            names[count] = name;
            hashes[count] = name.hashCode();
            values[count] = frozen;
            count++;
            return this;
        }

        /** Whether the field was already put. */
        public boolean has(String name) {
            return !built && indexOf(names, hashes, count, name) >= 0;
        }

        /** The row; the builder cannot be used afterwards (its arrays become the row's, without a copy). */
        public Row build() {
            checkNotBuilt();
            built = true;
            Row row = new Row(names, hashes, values, count);
            names = null;
            hashes = null;
            values = null;
            return row;
        }

        private void checkNotBuilt() {
            if (built) {
                throw new IllegalStateException("this builder has built its row already");
            }
        }
    }

    private static Object freeze(Object value) {
        if (value == null || value instanceof Boolean || value instanceof Long || value instanceof Double
                || value instanceof String || value instanceof Row || value instanceof BigDecimal) {
            return value;
        }
        if (value instanceof BigInteger big) {
            return big.bitLength() < 64 ? (Object) big.longValueExact() : new BigDecimal(big);
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
