package io.djangouserbackup.core.internal;

import io.djangouserbackup.core.ImportMode;
import io.djangouserbackup.core.RowChange;
import io.djangouserbackup.core.mappers.IncludedTableMapper;
import io.djangouserbackup.core.mappers.ModelTableMapper;
import io.djangouserbackup.core.spi.ColumnValues;
import io.djangouserbackup.core.spi.TableMapper;
import io.djangouserbackup.model.BackupHeader;
import io.djangouserbackup.model.Row;
import io.djangouserbackup.model.Sections;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compares a backup, row by row, with what the target would export: a row equal to the target's export of it is
 * unchanged, so re-running a restore that already happened reports every row unchanged. The target's rows of
 * one section are held in memory while that section of the backup is read. Permissions are not reported row
 * by row (they are shared reference data, counted in the plan).
 */
public final class RowComparison implements DocumentReader.Handler {
    private final Map<String, TableMapper> mappers = new LinkedHashMap<>();
    private final RunContext target;
    private final ImportMode mode;
    private final List<RowChange> changes = new ArrayList<>();
    private Map<Object, Row> targetRows;

    public RowComparison(List<TableMapper> mappers, RunContext target, ImportMode mode) {
        mappers.forEach(m -> this.mappers.put(m.section(), m));
        this.target = target;
        this.mode = mode;
    }

    public List<RowChange> changes() {
        return changes;
    }

    @Override
    public void header(BackupHeader header) {
    }

    @Override
    public void beginSection(String name) {
        targetRows = null;
        if (name.equals(Sections.PERMISSIONS)) {
            return;
        }
        Map<Object, Row> rows = new LinkedHashMap<>();
        mappers.get(name).start(target).exportRows(row -> rows.put(key(name, row), row));
        targetRows = rows;
    }

    @Override
    public void row(String section, int index, Row row) {
        if (targetRows == null) {
            return;
        }
        Object key = key(section, row);
        Row current = targetRows.remove(key);
        if (current == null) {
            changes.add(new RowChange(section, shown(section, key), label(section, row), RowChange.Change.CREATED, List.of()));
            return;
        }
        List<String> changed = new ArrayList<>();
        if (target.keepsExisting(section)) {
            // A selective import leaves the row as it is; only the selected users' assignments may change.
            if (row.get(ModelTableMapper.ASSIGNED_USERS) instanceof List<?> wanted
                    && current.get(ModelTableMapper.ASSIGNED_USERS) instanceof List<?> now
                    && !new java.util.HashSet<>(wanted).equals(new java.util.HashSet<>(now.stream()
                            .filter(u -> u instanceof Long id && target.isSelectedUser(id)).toList()))) {
                changed.add(ModelTableMapper.ASSIGNED_USERS);
            }
            changes.add(new RowChange(section, key, label(section, row),
                    changed.isEmpty() ? RowChange.Change.UNCHANGED : RowChange.Change.UPDATED, changed));
            return;
        }
        Set<String> names = new LinkedHashSet<>(row.names());
        names.addAll(current.names());
        for (String field : names) {
            // A merge matches groups by name and keeps the target's id; only replace gives them the backup's.
            boolean kept = field.equals("id") && section.equals(Sections.GROUPS) && mode == ImportMode.MERGE;
            if (!kept && !ColumnValues.sameValue(row.get(field), current.get(field))) {
                changed.add(field);
            }
        }
        String before = label(section, current);
        String after = label(section, row);
        changes.add(new RowChange(section, shown(section, key), after,
                changed.isEmpty() ? RowChange.Change.UNCHANGED : RowChange.Change.UPDATED, changed,
                before != null && after != null && !before.equals(after) ? before : null));
    }

    @Override
    public void endSection(String name, int count) {
        if (targetRows != null && mode == ImportMode.REPLACE) {
            for (Map.Entry<Object, Row> gone : targetRows.entrySet()) {
                changes.add(new RowChange(name, shown(name, gone.getKey()), label(name, gone.getValue()), RowChange.Change.REMOVED,
                        List.of()));
            }
        }
        targetRows = null;
    }

    /**
     * The key as a report shows it. A text primary key of an added table may be a secret (authtoken's key is the
     * token itself), so it is shown as the start of its SHA-256, enough to tell rows apart, never the value.
     */
    private Object shown(String section, Object key) {
        if (key instanceof String text && mappers.get(section) instanceof IncludedTableMapper) {
            return "sha256:" + ContentDigest.hex(ContentDigest.newSha256().digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                    .substring(0, 12);
        }
        return key;
    }

    /** Groups are matched by name, included tables by their primary key, every other section by id. */
    private Object key(String section, Row row) {
        if (mappers.get(section) instanceof IncludedTableMapper included) {
            return row.get(included.shape().key());
        }
        return section.equals(Sections.GROUPS) ? row.get("name") : row.get("id");
    }

    private static String label(String section, Row row) {
        Object label = section.equals(Sections.USERS) ? row.get("username") : row.get("name");
        return label instanceof String text ? text : null;
    }
}
