package io.djangouserbackup.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RowTest {

    @Test
    void keepsFieldsInOrderAndASecondPutReplacesInPlace() {
        Row row = Row.builder().put("id", 1).put("username", "alice").put("id", 2L).put("is_active", true).build();

        assertThat(row.size()).isEqualTo(3);
        assertThat(row.names()).containsExactly("id", "username", "is_active");
        assertThat(row.name(0)).isEqualTo("id");
        assertThat(row.value(0)).isEqualTo(2L);
        assertThat(row.get("username")).isEqualTo("alice");
        assertThat(row.get("missing")).isNull();
        assertThat(row.has("is_active")).isTrue();
        assertThat(row.has("missing")).isFalse();
    }

    @Test
    void findsNamesThatAreEqualButNotTheSameString() {
        Row row = Row.builder().put(new String("username"), "alice").build();

        assertThat(row.get(new String("username"))).isEqualTo("alice");
        assertThat(Row.builder().put("a", 1).put(new String("a"), 2).build().size()).isEqualTo(1);
    }

    @Test
    void growsPastItsFirstArraysAndReadsOnlyItsOwnFields() {
        Row.Builder builder = Row.builder();
        for (int i = 0; i < 40; i++) {
            builder.put("f" + i, (long) i);
        }
        Row row = builder.build();

        assertThat(row.size()).isEqualTo(40);
        assertThat(row.get("f39")).isEqualTo(39L);
        assertThatThrownBy(() -> row.name(40)).isInstanceOf(IndexOutOfBoundsException.class);
        Row small = Row.builder().put("a", 1).build();
        assertThatThrownBy(() -> small.value(1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(small.toString()).isEqualTo("Row[a]");
    }

    @Test
    void equalsAndHashCodeAreThoseOfTheMapWhateverTheOrder() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("id", 1L);
        map.put("groups", List.of("editors"));
        map.put("permission", Map.of("app_label", "auth", "codename", "add_user", "model", "user"));
        Row row = Row.of(map);
        Row reordered = Row.builder().put("permission", Map.of("model", "user", "codename", "add_user", "app_label", "auth"))
                .put("groups", List.of("editors")).put("id", 1L).build();

        assertThat(row).isEqualTo(reordered);
        assertThat(row.hashCode()).isEqualTo(reordered.hashCode()).isEqualTo(row.asMap().hashCode());
        assertThat(row.asMap()).isEqualTo(reordered.asMap());
        assertThat(row).isNotEqualTo(reordered.with("id", 2L));
        assertThat(row).isNotEqualTo(row.without("groups"));
    }

    @Test
    void isImmutableAndItsBuilderIsSpent() {
        Row.Builder builder = Row.builder().put("a", 1);
        Row row = builder.build();

        assertThatThrownBy(() -> builder.put("b", 2)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(builder::build).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> row.asMap().put("b", 2)).isInstanceOf(UnsupportedOperationException.class);
        assertThat(row.with("b", 2).size()).isEqualTo(2);
        assertThat(row.size()).isEqualTo(1);
    }

    @Test
    void refusesValuesThatAreNotJson() {
        assertThatThrownBy(() -> Row.builder().put("a", new Object()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("not a JSON value");
    }
}
