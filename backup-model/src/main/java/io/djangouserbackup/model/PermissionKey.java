package io.djangouserbackup.model;

import java.util.Comparator;
import java.util.Objects;

/**
 * A permission by its natural key, the same in every Django database: the content type's
 * {@code app_label} and {@code model}, and the permission's {@code codename}. Database ids of
 * permissions differ between databases and never appear in a backup.
 *
 * @param appLabel the content type's app label, e.g. {@code auth}
 * @param model    the content type's model, lower case, e.g. {@code user}
 * @param codename the permission's codename, e.g. {@code change_user}
 */
public record PermissionKey(String appLabel, String model, String codename) implements Comparable<PermissionKey> {

    private static final Comparator<PermissionKey> ORDER = Comparator.comparing(PermissionKey::appLabel)
            .thenComparing(PermissionKey::model)
            .thenComparing(PermissionKey::codename);

    public PermissionKey {
        Objects.requireNonNull(appLabel, "appLabel");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(codename, "codename");
    }

    /** The key as a row: {@code {"app_label": ..., "model": ..., "codename": ...}}. */
    public Row toRow() {
        return Row.builder().put("app_label", appLabel).put("model", model).put("codename", codename).build();
    }

    @Override
    public int compareTo(PermissionKey other) {
        return ORDER.compare(this, other);
    }

    /** Component by component, as a record's own equals (written out: cheaper to compile in a hot loop). */
    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof PermissionKey other && appLabel.equals(other.appLabel) && model.equals(other.model)
                && codename.equals(other.codename);
    }

    /** The value a record's own hash code has ({@code (31 * h(appLabel) + h(model)) * 31 + h(codename)}), written out. */
    @Override
    public int hashCode() {
        return (31 * appLabel.hashCode() + model.hashCode()) * 31 + codename.hashCode();
    }

    /** {@code app_label.model.codename}, as people read it. */
    @Override
    public String toString() {
        return appLabel + "." + model + "." + codename;
    }
}
