package io.djangouserbackup.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Issue 15: {@link LongSet} keeps small ids in a bitmap and every other value in a hash table, moving values from
 * the table into the bitmap as it grows. Whatever the order and mix of values, it answers as a {@code Set<Long>}.
 */
class LongSet15Properties {

    /** Every add and contains answers as a {@code HashSet<Long>} does, and the sizes agree. */
    @Property(tries = 300)
    void behavesAsASetOfLongs(@ForAll("operations") List<Long> values, @ForAll("operations") List<Long> probes) {
        LongSet set = new LongSet();
        Set<Long> expected = new HashSet<>();
        for (long value : values) {
            assertThat(set.add(value)).isEqualTo(expected.add(value));
            assertThat(set.contains(value)).isTrue();
        }
        for (long probe : probes) {
            assertThat(set.contains(probe)).isEqualTo(expected.contains(probe));
        }
        for (long value : values) {
            assertThat(set.contains(value)).isTrue();
            assertThat(set.add(value)).isFalse();
        }
        assertThat(set.size()).isEqualTo(expected.size());
    }

    /** Dense ids, sparse and huge ones, negatives and the extremes, in runs, shuffled and repeated. */
    @Provide
    Arbitrary<List<Long>> operations() {
        Arbitrary<Long> small = Arbitraries.longs().between(0, 5_000);
        Arbitrary<Long> sparse = Arbitraries.longs().between(0, 1L << 32);
        Arbitrary<Long> any = Arbitraries.longs();
        Arbitrary<Long> edges = Arbitraries.of(0L, 1L, 63L, 64L, 4095L, 4096L, (1L << 30) - 1, 1L << 30, 1L << 62,
                Long.MAX_VALUE, -1L, Long.MIN_VALUE, Long.MIN_VALUE + 1);
        Arbitrary<Long> value = Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(6, small), net.jqwik.api.Tuple.of(2, sparse),
                net.jqwik.api.Tuple.of(1, any), net.jqwik.api.Tuple.of(1, edges));
        Arbitrary<List<Long>> run = Arbitraries.longs().between(0, 1L << 20).flatMap(start -> Arbitraries.integers()
                .between(1, 3_000).map(n -> java.util.stream.LongStream.range(start, start + n).boxed().toList()));
        return Arbitraries.oneOf(value.list().ofMaxSize(3_000), run,
                Arbitraries.oneOf(run, value.list().ofMaxSize(500)).list().ofMaxSize(6)
                        .map(parts -> parts.stream().flatMap(List::stream).toList()));
    }

    @Example
    void aMillionIdsInOrderThenTheirNeighbours() {
        LongSet set = new LongSet();
        for (long id = 1; id <= 1_000_000; id++) {
            assertThat(set.add(id)).isTrue();
        }
        assertThat(set.contains(0)).isFalse();
        assertThat(set.contains(1)).isTrue();
        assertThat(set.contains(1_000_000)).isTrue();
        assertThat(set.contains(1_000_001)).isFalse();
        assertThat(set.add(Long.MIN_VALUE)).isTrue();
        assertThat(set.add(-5)).isTrue();
        assertThat(set.add(1L << 40)).isTrue();
        assertThat(set.add(1L << 40)).isFalse();
        assertThat(set.size()).isEqualTo(1_000_003);
    }

    @Example
    void hugeIdsFirstThenSmallOnesMoveIntoTheBitmap() {
        LongSet set = new LongSet();
        for (long id = 100_000; id < 100_500; id++) {
            set.add(id);
        }
        for (long id = 0; id < 200_000; id++) {
            assertThat(set.add(id)).isEqualTo(id < 100_000 || id >= 100_500);
        }
        assertThat(set.size()).isEqualTo(200_000);
        for (long id = 0; id < 200_000; id++) {
            assertThat(set.contains(id)).isTrue();
        }
    }
}
