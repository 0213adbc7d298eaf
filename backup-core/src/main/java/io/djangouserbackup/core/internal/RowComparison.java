package io.djangouserbackup.core.internal;

import io.djangouserbackup.core.ImportMode;
import io.djangouserbackup.core.RowChange;
import io.djangouserbackup.core.mappers.IncludedTableMapper;
import io.djangouserbackup.core.mappers.ModelTableMapper;
import io.djangouserbackup.core.spi.ColumnValues;
import io.djangouserbackup.core.spi.MapperContext;
import io.djangouserbackup.core.spi.RowAction;
import io.djangouserbackup.core.spi.SectionRun;
import io.djangouserbackup.core.spi.TableMapper;
import io.djangouserbackup.model.Row;
import io.djangouserbackup.model.Sections;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Tells, during the check pass, what an import does to each row of the backup: a row the target lacks is created;
 * a row the target has is compared with what the target would export for it, and is unchanged when they are equal
 * (re-running a restore that already happened changes nothing), else updated. Links count as fields of their
 * owner row (a user's {@code groups}, a model's {@code assigned_users}). The plan, the dry run and the import's
 * summary all count from here, so they say the same.
 *
 * <p>The backup's rows are compared up to {@value #BATCH} at a time (fewer when they hold long link lists), by key, with one query per table for each batch
 * ({@link SectionRun#exportRows(java.util.Collection, java.util.function.Consumer)}): memory stays flat however
 * many rows there are. Only when it {@linkplain #RowComparison lists} the rows (a dry run's report) does it keep
 * one entry per row. Permissions are not compared (shared reference data: the check pass's count holds).
 */
public final class RowComparison {
    /** How many rows of the backup are compared with the target in one query, at most. */
    static final int BATCH = 500;
    /**
     * How many values (fields, and the entries of link lists) a batch holds at most: a model row assigned to a hundred
     * thousand users is a batch of its own, since its list and the target's are both in memory while compared.
     */
    static final int BATCH_VALUES = 10_000;

    private final Map<String, SectionRun> runs;
    private final Function<String, TableMapper> mappers;
    private final MapperContext target;
    private final boolean listing;
    private final Map<String, EnumMap<RowChange.Change, Long>> counts = new LinkedHashMap<>();
    private final Map<String, List<RowChange>> changes = new LinkedHashMap<>();
    /** Listing a replace: the keys of the target's rows the backup holds, so the others can be named as removed. */
    private final Map<String, Set<Object>> kept = new HashMap<>();
    private final List<Pending> pending = new ArrayList<>();
    private long pendingValues;

    private record Pending(Row row, RowAction action, Object key) {
    }

    /**
     * @param runs    the check pass's runs, by section (the sections its header adds included)
     * @param mappers the mapper of a section
     * @param target  the import's run: its mode, and for a selective import which sections and users it keeps
     * @param listing whether to keep a {@link RowChange} for every row (a dry run's report)
     */
    public RowComparison(Map<String, SectionRun> runs, Function<String, TableMapper> mappers, MapperContext target,
                         boolean listing) {
        this.runs = runs;
        this.mappers = mappers;
        this.target = target;
        this.listing = listing;
    }

    /** One checked row of the backup and what the check found writing it would do. */
    public void row(String section, Row row, RowAction action) {
        if (section.equals(Sections.PERMISSIONS)) {
            return;
        }
        pending.add(new Pending(row, action, key(section, row)));
        pendingValues += values(row);
        if (pending.size() >= BATCH || pendingValues >= BATCH_VALUES) {
            compare(section);
        }
    }

    /** After the section's last row. */
    public void endSection(String section) {
        if (section.equals(Sections.PERMISSIONS)) {
            return;
        }
        compare(section);
        counts.computeIfAbsent(section, s -> new EnumMap<>(RowChange.Change.class));
        changes.computeIfAbsent(section, s -> new ArrayList<>());
    }

    /** Whether the section's rows were compared (every section but permissions). */
    public boolean compared(String section) {
        return counts.containsKey(section);
    }

    /** How many rows of the section get the change (never {@code REMOVED}: the section's run counts those). */
    public long count(String section, RowChange.Change change) {
        return counts.getOrDefault(section, new EnumMap<>(RowChange.Change.class)).getOrDefault(change, 0L);
    }

    /**
     * Every row of the backup's sections, in document order, each section followed (replace mode) by the target's
     * rows it removes. Only for a comparison that lists its rows.
     *
     * @param removed section to how many rows of the target a replace removes from it
     */
    public List<RowChange> changes(Map<String, Long> removed) {
        if (!listing) {
            throw new IllegalStateException("a comparison that does not list its rows");
        }
        List<RowChange> all = new ArrayList<>();
        changes.forEach((section, rows) -> {
            all.addAll(rows);
            if (target.mode() == ImportMode.REPLACE && removed.getOrDefault(section, 0L) > 0) {
                Set<Object> stays = kept.getOrDefault(section, Set.of());
                runs.get(section).exportRows(row -> {
                    Object key = key(section, row);
                    if (!stays.contains(key)) {
                        all.add(rowChange(section, key, label(section, row), RowChange.Change.REMOVED,
                                List.of()));
                    }
                });
            }
        });
        return all;
    }

    /** Compares the pending rows with the target's, one query for all of them, and counts them in order. */
    private void compare(String section) {
        if (pending.isEmpty()) {
            return;
        }
        Set<Object> keys = new LinkedHashSet<>();
        for (Pending row : pending) {
            // A row without a key (a section that does not say what it is keyed by) cannot be compared.
            if (isCompared(section, row.action) && row.key != null) {
                keys.add(row.key);
            }
        }
        Map<Object, Row> current = new HashMap<>();
        if (!keys.isEmpty()) {
            runs.get(section).exportRows(keys, row -> {
                Object key = key(section, row);
                if (keys.contains(key)) {
                    current.put(key, row);
                }
            });
        }
        for (Pending row : pending) {
            RowChange change = change(section, row, row.key == null ? null : current.get(row.key));
            counts.computeIfAbsent(section, s -> new EnumMap<>(RowChange.Change.class)).merge(change.change(), 1L, Long::sum);
            if (listing) {
                changes.computeIfAbsent(section, s -> new ArrayList<>()).add(change);
                if (isCompared(section, row.action) && target.mode() == ImportMode.REPLACE) {
                    kept.computeIfAbsent(section, s -> new HashSet<>()).add(row.key);
                }
            }
        }
        pending.clear();
        pendingValues = 0;
    }

    /** How many values the row holds: one per field, a list's entries each. */
    private static long values(Row row) {
        long values = row.size();
        for (int f = 0; f < row.size(); f++) {
            if (row.value(f) instanceof List<?> list) {
                values += list.size();
            }
        }
        return values;
    }

    /**
     * Whether the row is one the target has, to be compared: one the import updates, or one a selective import
     * keeps while it restores the selected users' links to it. Any other row the check says needs no write is
     * unchanged.
     */
    private boolean isCompared(String section, RowAction action) {
        return action == RowAction.UPDATE || action == RowAction.SKIP && target.keepsExisting(section);
    }

    private RowChange change(String section, Pending pending, Row current) {
        Row row = pending.row;
        if (pending.action == RowAction.CREATE) {
            return rowChange(section, pending.key, label(section, row), RowChange.Change.CREATED, List.of());
        }
        if (!isCompared(section, pending.action)) {
            return rowChange(section, pending.key, label(section, row), RowChange.Change.UNCHANGED, List.of());
        }
        if (current == null) {
            // No key to compare by, or the target does not export the row the check found: written all the same.
            return rowChange(section, pending.key, label(section, row), RowChange.Change.UPDATED, List.of());
        }
        List<String> changed = new ArrayList<>();
        if (target.keepsExisting(section)) {
            // A selective import leaves the row as it is; only the selected users' assignments may change.
            if (row.get(ModelTableMapper.ASSIGNED_USERS) instanceof List<?> wanted
                    && current.get(ModelTableMapper.ASSIGNED_USERS) instanceof List<?> now
                    && !new HashSet<>(wanted).equals(new HashSet<>(now.stream()
                            .filter(u -> u instanceof Long id && target.isSelectedUser(id)).toList()))) {
                changed.add(ModelTableMapper.ASSIGNED_USERS);
            }
            return rowChange(section, pending.key, label(section, row),
                    changed.isEmpty() ? RowChange.Change.UNCHANGED : RowChange.Change.UPDATED, changed);
        }
        Set<String> names = new LinkedHashSet<>(row.names());
        names.addAll(current.names());
        for (String field : names) {
            // A merge matches groups by name and keeps the target's id; only replace gives them the backup's.
            boolean kept = field.equals("id") && section.equals(Sections.GROUPS) && target.mode() == ImportMode.MERGE;
            if (!kept && !ColumnValues.sameValue(row.get(field), current.get(field))) {
                changed.add(field);
            }
        }
        String before = label(section, current);
        String after = label(section, row);
        return rowChange(section, pending.key, after,
                changed.isEmpty() ? RowChange.Change.UNCHANGED : RowChange.Change.UPDATED, changed,
                before != null && after != null && !before.equals(after) ? before : null);
    }

    /** A row's change, its key as a report shows it and named by its column. */
    private RowChange rowChange(String section, Object key, String label, RowChange.Change change, List<String> changed) {
        return rowChange(section, key, label, change, changed, null);
    }

    private RowChange rowChange(String section, Object key, String label, RowChange.Change change, List<String> changed,
                             String previousLabel) {
        String column = keyColumn(section);
        return new RowChange(section, ReportedKeys.shown(column, key), label, change, changed, previousLabel,
                ReportedKeys.name(column, key));
    }

    /** An added table's primary-key column, as its mapper knows it; null for a built-in section. */
    private String keyColumn(String section) {
        return mappers.apply(section) instanceof IncludedTableMapper included ? included.shape().key() : null;
    }

    /** What the section's run matches rows by: an id, a group's name, an added table's primary key. */
    private Object key(String section, Row row) {
        return runs.get(section).matchKey(row);
    }

    private static String label(String section, Row row) {
        Object label = section.equals(Sections.USERS) ? row.get("username") : row.get("name");
        return label instanceof String text ? text : null;
    }
}
