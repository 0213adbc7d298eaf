package io.djangouserbackup.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What the database says about the Django release that made it. A Java tool cannot ask Django, so this
 * holds evidence, not a guess: the latest applied migration of each relevant app, and the oldest Django
 * release those migrations imply.
 *
 * @param atLeast    the oldest Django release whose migrations match, e.g. {@code "3.1"}, or {@code null}
 *                   when the migrations imply nothing known
 * @param migrations app label to the name of its latest applied migration, e.g.
 *                   {@code auth -> 0012_alter_user_first_name_max_length}
 */
public record DjangoVersion(String atLeast, Map<String, String> migrations) {

    public DjangoVersion {
        migrations = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(migrations, "migrations")));
    }

    /** Nothing known. */
    public static DjangoVersion unknown() {
        return new DjangoVersion(null, Map.of());
    }
}
