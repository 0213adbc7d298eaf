package io.djangouserbackup.core.internal;

import java.util.Arrays;

/**
 * A set of longs without boxing. Small non-negative values (the ids of a table, mostly: 1, 2, 3, ...) are bits
 * of a bitmap, which a million ids fill with 125 KiB that stay in the processor's caches; the bitmap grows only
 * while it stays as dense as one value in {@value #DENSITY} bits, so a few huge ids never make it large. Every
 * other value lives in one open-addressing array (a million take 16 to 32 MiB, not the 60 of boxed Longs).
 */
public final class LongSet {
    private static final long EMPTY = Long.MIN_VALUE;
    /** The bitmap may cover up to this many values per value held. */
    static final int DENSITY = 64;
    /** The bitmap covers at least this many values before density counts (512 bytes). */
    private static final long SMALL = 4096;
    /** The most values the bitmap covers: 2^30 bits, 128 MiB, reached only by 16 million values or more. */
    private static final long MOST = 1L << 30;

    // Values 0 to covered() - 1 are bits here, and never in the table.
    private long[] bits = new long[1];
    // The other values; null until one comes.
    private long[] slots;
    private int inSlots;
    private int size;
    private boolean hasEmptyMarker;

    /** Adds the value; false when it was there already. */
    public boolean add(long value) {
        if (value >= 0 && (value < covered() || cover(value))) {
            int word = (int) (value >>> 6);
            long bit = 1L << value;
            if ((bits[word] & bit) != 0) {
                return false;
            }
            bits[word] |= bit;
            size++;
            return true;
        }
        if (value == EMPTY) {
            boolean added = !hasEmptyMarker;
            hasEmptyMarker = true;
            size += added ? 1 : 0;
            return added;
        }
        if (slots == null) {
            slots = newSlots(64);
        } else if ((inSlots + 1) * 2 > slots.length) {
            rehash(slots.length * 2);
        }
        if (!put(slots, value)) {
            return false;
        }
        inSlots++;
        size++;
        return true;
    }

    public boolean contains(long value) {
        if (value >= 0 && value < covered()) {
            return (bits[(int) (value >>> 6)] & (1L << value)) != 0;
        }
        if (value == EMPTY) {
            return hasEmptyMarker;
        }
        if (slots == null) {
            return false;
        }
        int mask = slots.length - 1;
        for (int i = mix(value) & mask; ; i = (i + 1) & mask) {
            if (slots[i] == EMPTY) {
                return false;
            }
            if (slots[i] == value) {
                return true;
            }
        }
    }

    public int size() {
        return size;
    }

    private long covered() {
        return (long) bits.length << 6;
    }

    /**
     * Grows the bitmap to cover {@code value} when it stays dense enough, moving the values it now covers out of the
     * table; false when it would not.
     */
    private boolean cover(long value) {
        if (value >= MOST) {
            return false;
        }
        long wanted = Math.max(covered() * 2, Long.highestOneBit(value) << 1);
        if (wanted > MOST || wanted > Math.max(SMALL, (long) DENSITY * (size + 1))) {
            return false;
        }
        bits = Arrays.copyOf(bits, (int) (wanted >>> 6));
        if (slots != null) {
            long[] old = slots;
            slots = newSlots(old.length);
            inSlots = 0;
            for (long held : old) {
                if (held == EMPTY) {
                    continue;
                }
                if (held >= 0 && held < wanted) {
                    bits[(int) (held >>> 6)] |= 1L << held;
                } else {
                    put(slots, held);
                    inSlots++;
                }
            }
        }
        return true;
    }

    private void rehash(int capacity) {
        long[] old = slots;
        slots = newSlots(capacity);
        for (long value : old) {
            if (value != EMPTY) {
                put(slots, value);
            }
        }
    }

    /** Puts a value that is not {@link #EMPTY} into the table, which has room; false when it was there. */
    private static boolean put(long[] slots, long value) {
        int mask = slots.length - 1;
        for (int i = mix(value) & mask; ; i = (i + 1) & mask) {
            if (slots[i] == EMPTY) {
                slots[i] = value;
                return true;
            }
            if (slots[i] == value) {
                return false;
            }
        }
    }

    private static long[] newSlots(int capacity) {
        long[] slots = new long[capacity];
        Arrays.fill(slots, EMPTY);
        return slots;
    }

    private static int mix(long value) {
        long h = value * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }
}
