package io.djangouserbackup.core.internal;

import java.util.Arrays;

/** A set of longs in one open-addressing array: a million ids take 16 MiB, not the 60 of boxed Longs. */
public final class LongSet {
    private static final long EMPTY = Long.MIN_VALUE;

    private long[] slots = newSlots(64);
    private int size;
    private boolean hasEmptyMarker;

    /** Adds the value; false when it was there already. */
    public boolean add(long value) {
        if (value == EMPTY) {
            boolean added = !hasEmptyMarker;
            hasEmptyMarker = true;
            size += added ? 1 : 0;
            return added;
        }
        if ((size + 1) * 2 > slots.length) {
            grow();
        }
        int mask = slots.length - 1;
        for (int i = mix(value) & mask; ; i = (i + 1) & mask) {
            if (slots[i] == EMPTY) {
                slots[i] = value;
                size++;
                return true;
            }
            if (slots[i] == value) {
                return false;
            }
        }
    }

    public boolean contains(long value) {
        if (value == EMPTY) {
            return hasEmptyMarker;
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

    private void grow() {
        long[] old = slots;
        slots = newSlots(old.length * 2);
        size = hasEmptyMarker ? 1 : 0;
        for (long value : old) {
            if (value != EMPTY) {
                add(value);
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
