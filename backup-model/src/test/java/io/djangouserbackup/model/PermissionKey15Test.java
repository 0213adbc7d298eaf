package io.djangouserbackup.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Issue 15: {@link PermissionKey} writes out its equals and hash code (cheaper to compile where a verify checks
 * millions of keys); they must stay what the record's own were: component-wise equality, and the hash
 * {@code (31 * h(appLabel) + h(model)) * 31 + h(codename)}, so that no set or map of keys orders differently.
 */
class PermissionKey15Test {

    @Test
    void equalityIsComponentWise() {
        PermissionKey key = new PermissionKey("auth", "user", "change_user");
        assertThat(key).isEqualTo(new PermissionKey(new String("auth"), new String("user"), new String("change_user")));
        assertThat(key).isNotEqualTo(new PermissionKey("auth", "user", "view_user"));
        assertThat(key).isNotEqualTo(new PermissionKey("auth", "group", "change_user"));
        assertThat(key).isNotEqualTo(new PermissionKey("admin", "user", "change_user"));
        assertThat(key).isNotEqualTo(null);
        assertThat(key).isNotEqualTo("auth.user.change_user");
        Set<PermissionKey> keys = new HashSet<>(Set.of(key, new PermissionKey("auth", "user", "view_user")));
        assertThat(keys.add(new PermissionKey("auth", "user", "change_user"))).isFalse();
    }

    @Test
    void hashCodeIsTheRecordsOwn() {
        for (String[] parts : new String[][] {{"auth", "user", "change_user"}, {"chat", "openaimodel", "x"}, {"é", "ü", ""}}) {
            PermissionKey key = new PermissionKey(parts[0], parts[1], parts[2]);
            assertThat(key.hashCode()).isEqualTo((31 * parts[0].hashCode() + parts[1].hashCode()) * 31 + parts[2].hashCode());
        }
        // The values the record's generated hash code gave (JDK 17), computed with the jar before this change.
        assertThat(new PermissionKey("auth", "user", "change_user").hashCode()).isEqualTo(1345781815);
        assertThat(new PermissionKey("chat", "openaimodel", "x").hashCode()).isEqualTo(240718393);
    }
}
