package io.djangouserbackup.core;

import io.djangouserbackup.core.internal.DocumentReader;
import io.djangouserbackup.core.internal.ReportedKeys;
import io.djangouserbackup.model.BackupHeader;
import io.djangouserbackup.model.Row;
import io.djangouserbackup.model.Sections;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Compares two backups row by row, without any database: which rows the newer backup adds ({@code CREATED}),
 * changes ({@code UPDATED}, with the names of the fields whose values differ) or lacks ({@code REMOVED}), in the
 * words of an import's dry run ({@link RowChange}). Only field names are reported, never values: a changed
 * password hash is just {@code "password"}.
 *
 * <p>Every section a backup holds is compared, the built-in ones and any other (a section only one backup has
 * counts as all created or all removed). Rows are matched by key: groups by name, permissions by natural key
 * ({@code app_label.model.codename}), a section added with {@code export --table} by the key column its header
 * describes, every other row by its {@code id} (else its {@code name}; a row with neither is matched by its whole
 * content). Both backups are read once; each must be whole (its SHA-256 digest
 * matches) and well-formed. The older backup's rows are held in memory while the newer one streams past.
 *
 * <pre>{@code
 * DiffResult diff = Differ.standard().diff(BackupSource.of(Path.of("monday.json")), BackupSource.of(Path.of("tuesday.json")));
 * if (!diff.identical()) {
 *     diff.changes().forEach(c -> System.out.println(c.change() + " " + c.section() + " " + c.key() + " " + c.changedFields()));
 * }
 * }</pre>
 */
public final class Differ {
    private static final Differ STANDARD = new Differ();

    private Differ() {
    }

    /** The differ: stateless, thread-safe. */
    public static Differ standard() {
        return STANDARD;
    }

    /**
     * Reads both backups and compares them.
     *
     * @param older the backup to compare from (rows only it has are {@code REMOVED})
     * @param newer the backup to compare to (rows only it has are {@code CREATED})
     * @throws InvalidBackupException when either is not a whole, well-formed backup; the message names which
     */
    public DiffResult diff(BackupSource older, BackupSource newer) {
        Objects.requireNonNull(older, "older");
        Objects.requireNonNull(newer, "newer");
        Collector collected = new Collector();
        read(older, collected);
        Comparison comparison = new Comparison(collected.sections, collected.keys);
        read(newer, comparison);
        comparison.finish();
        return new DiffResult(collected.header, comparison.header, comparison.counts, comparison.changes);
    }

    private static void read(BackupSource source, DocumentReader.Handler handler) {
        try {
            Importer.read(source, handler);
        } catch (InvalidBackupException e) {
            String message = e.getMessage();
            throw new InvalidBackupException("", message.contains(source.description()) ? message
                    : source.description() + ": " + message, e);
        }
    }

    /**
     * How the rows of one backup's sections are matched: groups by name, permissions by natural key, a section added
     * with {@code export --table} by the key column its header describes (a profile by {@code user_id}), any other
     * row by its id, else its name, else its whole content. A text key of an added table may be a secret (an API
     * token is its own key), so it is known and shown only by the start of its SHA-256.
     */
    private record RowKeys(Map<String, String> described) {
        static RowKeys of(BackupHeader header) {
            Map<String, String> described = new HashMap<>();
            header.sections().forEach((section, schema) -> {
                if (schema.more().get("key") instanceof String column) {
                    described.put(section, column);
                }
            });
            return new RowKeys(described);
        }

        Object key(String section, Row row) {
            String column = described.get(section);
            if (column != null && row.get(column) != null) {
                return row.get(column);
            }
            if (section.equals(Sections.GROUPS)) {
                return row.get("name");
            }
            if (section.equals(Sections.PERMISSIONS)) {
                return permissionKey(row);
            }
            if (row.has("id")) {
                return row.get("id");
            }
            if (row.has("name")) {
                return row.get("name");
            }
            return row;
        }

        /** The key as a report shows it. */
        Object shown(String section, Object key) {
            return ReportedKeys.shown(described.get(section), key);
        }

        /** The row's change, its key shown and named as a report does; a key that is the whole row has no name. */
        RowChange change(String section, Object key, Row row, RowChange.Change change, List<String> changed) {
            String column = described.get(section);
            return new RowChange(section, ReportedKeys.shown(column, key), label(section, row), change, changed, null,
                    key instanceof Row ? null : ReportedKeys.name(column, key));
        }
    }

    /** A name for people: a user's username, a permission's natural key, else the row's name, if any. */
    static String label(String section, Row row) {
        if (section.equals(Sections.PERMISSIONS)) {
            return permissionKey(row);
        }
        Object label = section.equals(Sections.USERS) ? row.get("username") : row.get("name");
        return label instanceof String text ? text : null;
    }

    /** A permission's natural key, {@code app_label.model.codename}: how it is matched and named. */
    private static String permissionKey(Row row) {
        return row.get("app_label") + "." + row.get("model") + "." + row.get("codename");
    }

    private static InvalidBackupException duplicate(String section, int index, Object key) {
        return new InvalidBackupException(section + "[" + index + "]", "a second row with the key of an earlier one"
                + (key instanceof Row ? "" : " (" + describe(key) + ")"));
    }

    private static String describe(Object key) {
        // Keys are ids, group names and permission keys, never a password; a name may still be long.
        String text = String.valueOf(key);
        return text.length() > 80 ? text.substring(0, 77) + "..." : text;
    }

    /** The older backup: its header and every section's rows by key, in document order. */
    private static final class Collector implements DocumentReader.Handler {
        final Map<String, Map<Object, Row>> sections = new LinkedHashMap<>();
        BackupHeader header;
        private RowKeys keys;
        private Map<Object, Row> current;

        @Override
        public void header(BackupHeader header) {
            this.header = header;
            this.keys = RowKeys.of(header);
        }

        @Override
        public void beginSection(String name) {
            current = new LinkedHashMap<>();
            sections.put(name, current);
        }

        @Override
        public void row(String section, int index, Row row) {
            Object key = keys.key(section, row);
            if (current.putIfAbsent(key, row) != null) {
                throw duplicate(section, index, keys.shown(section, key));
            }
        }

        @Override
        public void endSection(String name, int count) {
            current = null;
        }
    }

    /** The newer backup, streamed: each row against the older backup's row of the same key. */
    private static final class Comparison implements DocumentReader.Handler {
        private final Map<String, Map<Object, Row>> older;
        final Map<String, SectionCounts> counts = new LinkedHashMap<>();
        final List<RowChange> changes = new ArrayList<>();
        BackupHeader header;
        private RowKeys keys;
        private final RowKeys olderKeys;
        private Map<Object, Row> olderRows;
        private final Set<Object> seen = new HashSet<>();
        private long created;
        private long updated;
        private long unchanged;

        Comparison(Map<String, Map<Object, Row>> older, RowKeys olderKeys) {
            this.older = older;
            this.olderKeys = olderKeys;
        }

        @Override
        public void header(BackupHeader header) {
            this.header = header;
            this.keys = RowKeys.of(header);
        }

        @Override
        public void beginSection(String name) {
            Map<Object, Row> rows = older.remove(name);
            olderRows = rows == null ? new LinkedHashMap<>() : rows;
            seen.clear();
            created = 0;
            updated = 0;
            unchanged = 0;
        }

        @Override
        public void row(String section, int index, Row row) {
            Object key = keys.key(section, row);
            if (!seen.add(key)) {
                throw duplicate(section, index, keys.shown(section, key));
            }
            Row before = olderRows.remove(key);
            if (before == null) {
                created++;
                changes.add(keys.change(section, key, row, RowChange.Change.CREATED, List.of()));
                return;
            }
            Set<String> names = new LinkedHashSet<>(before.names());
            names.addAll(row.names());
            List<String> changed = new ArrayList<>();
            for (String field : names) {
                if (before.has(field) != row.has(field) || !Objects.equals(before.get(field), row.get(field))) {
                    changed.add(field);
                }
            }
            if (changed.isEmpty()) {
                unchanged++;
            } else {
                updated++;
                changes.add(keys.change(section, key, row, RowChange.Change.UPDATED, changed));
            }
        }

        @Override
        public void endSection(String name, int count) {
            long removed = removeAll(name, olderRows);
            counts.put(name, new SectionCounts(count, created, updated, unchanged, removed));
            olderRows = null;
        }

        /** Sections only the older backup has: every row removed. */
        void finish() {
            for (Map.Entry<String, Map<Object, Row>> section : older.entrySet()) {
                long removed = removeAll(section.getKey(), section.getValue());
                counts.put(section.getKey(), new SectionCounts(0, 0, 0, 0, removed));
            }
            older.clear();
        }

        private long removeAll(String section, Map<Object, Row> rows) {
            for (Map.Entry<Object, Row> gone : rows.entrySet()) {
                changes.add(olderKeys.change(section, gone.getKey(), gone.getValue(), RowChange.Change.REMOVED,
                        List.of()));
            }
            return rows.size();
        }
    }
}
