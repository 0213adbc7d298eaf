package io.djangouserbackup.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextKeySetTest {

    @Test
    void findsDuplicatesOnBothSidesOfTheMoveToTheFile() {
        try (TextKeySet keys = new TextKeySet(100)) {
            for (int i = 0; i < 100; i++) {
                assertThat(keys.add("user-" + i)).isTrue();
            }
            assertThat(keys.spilled()).isFalse();
            assertThat(keys.add("user-7")).as("a duplicate while in memory").isFalse();
            assertThat(keys.spilled()).as("a duplicate adds nothing, so nothing moves").isFalse();

            assertThat(keys.add("üser-100")).isTrue();
            assertThat(keys.spilled()).isTrue();
            assertThat(keys.add("user-7")).as("a key from memory, after the move").isFalse();
            assertThat(keys.add("üser-100")).as("a key added after the move").isFalse();
            assertThat(keys.add("User-7")).as("keys are compared exactly, case included").isTrue();
            assertThat(keys.contains("user-99")).isTrue();
            assertThat(keys.contains("user-100")).isFalse();
        }
    }

    @Test
    void theDefaultLimitNeverFallsBelowTheFloor() {
        try (TextKeySet keys = new TextKeySet()) {
            for (int i = 0; i < TextKeySet.MIN_IN_MEMORY; i++) {
                keys.add(Integer.toString(i));
            }
            assertThat(keys.spilled()).isFalse();
        }
    }
}
