package io.djangouserbackup.core;

import java.util.List;

/**
 * What an import would do to one user, group or OpenAI model (or a row of an added section), as a dry run
 * reports it. Only field names are given, never values: a changed password hash is just {@code "password"}.
 *
 * @param section       the section, e.g. {@code users}
 * @param key           the row's key: its id, or a group's name
 * @param label         a name for people ({@code username}, a group's or model's {@code name}), or {@code null}
 * @param change        created, updated, unchanged, or removed (replace mode)
 * @param changedFields for an update, the fields (columns and links such as {@code groups}) whose values change
 * @param previousLabel for an update that renames the row (another {@code username} or model {@code name} under
 *                      the same id), the target's name before the import; else {@code null}. Names are the one
 *                      kind of value shown: they say which account becomes which.
 * @param keyName       the column the key is the value of, to show it by ({@code id}; an added table's primary key,
 *                      e.g. {@code user_id} of a profile); {@code null} when the key is the row's name (a group)
 */
public record RowChange(String section, Object key, String label, Change change, List<String> changedFields,
                        String previousLabel, String keyName) {

    public RowChange {
        changedFields = List.copyOf(changedFields);
    }

    /** A change of a row keyed by {@code id} when the key is a number, else by its name or content. */
    public RowChange(String section, Object key, String label, Change change, List<String> changedFields,
                     String previousLabel) {
        this(section, key, label, change, changedFields, previousLabel, key instanceof Number ? "id" : null);
    }

    /** A change that renames nothing, of a row keyed by {@code id} when the key is a number, else by its name. */
    public RowChange(String section, Object key, String label, Change change, List<String> changedFields) {
        this(section, key, label, change, changedFields, null);
    }

    /**
     * How people tell the row: {@code id 7 alice}, {@code user_id 3} (a profile), {@code editors} (a group),
     * {@code key sha256:9944b09199c6} (a token, never its value); empty for a row with neither key name nor label.
     */
    public String describe() {
        String shownKey = keyName == null || key == null ? "" : keyName + " " + key;
        if (label == null) {
            return shownKey;
        }
        return shownKey.isEmpty() ? label : shownKey + " " + label;
    }

    /** What happens to the row. */
    public enum Change {
        /** New to the target. */
        CREATED,
        /** The target has it with other values. */
        UPDATED,
        /** The target has it exactly so already; importing again changes nothing. */
        UNCHANGED,
        /** The target has it and the backup does not; replace mode removes it. */
        REMOVED
    }
}
