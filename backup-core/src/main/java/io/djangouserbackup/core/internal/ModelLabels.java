package io.djangouserbackup.core.internal;

import io.djangouserbackup.core.IncompatibleDatabaseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * The Django model label of a table and back, from the database's {@code django_content_type} and Django's default
 * table naming ({@code app_label_model}): what a Django fixture's {@code "model"} names. Used by the fixture writer
 * and reader alike, so both name a table the same way.
 */
public final class ModelLabels {
    private final Map<String, List<String>> labelsByTable = new HashMap<>();

    /** The labels of the database's content types, read with the handle. */
    public ModelLabels(Handle handle) {
        Jdbc.list(handle, "SELECT app_label, model FROM django_content_type", rs -> new String[] {rs.getString(1), rs.getString(2)})
                .forEach(label -> labelsByTable.computeIfAbsent(tableOf(label[0] + "." + label[1]),
                        t -> new ArrayList<>()).add(label[0] + "." + label[1]));
    }

    /** The table Django names for a model label by default: {@code authtoken.token} is {@code authtoken_token}. */
    public static String tableOf(String label) {
        return label.replace('.', '_').toLowerCase(Locale.ROOT);
    }

    /**
     * The model label of a table.
     *
     * @throws IncompatibleDatabaseException when no content type, or more than one, is named for it
     */
    public String label(String table) {
        List<String> labels = labelsByTable.getOrDefault(table.toLowerCase(Locale.ROOT), List.of());
        if (labels.size() != 1) {
            throw new IncompatibleDatabaseException("table " + table + ": " + (labels.isEmpty()
                    ? "no Django model in django_content_type is named for it (Django names a table app_label_model)"
                    : "models " + labels + " are all named for it") + ", so it cannot be written to a Django fixture;"
                    + " nothing was written");
        }
        return labels.get(0);
    }

    /** Whether the label is the one model named for the table. */
    public boolean names(String label, String table) {
        List<String> labels = labelsByTable.getOrDefault(table.toLowerCase(Locale.ROOT), List.of());
        return labels.size() == 1 && labels.get(0).equals(label);
    }
}
