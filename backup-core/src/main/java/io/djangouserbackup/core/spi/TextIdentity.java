package io.djangouserbackup.core.spi;

import io.djangouserbackup.core.DatabaseAccessException;
import io.djangouserbackup.core.ImportMode;
import io.djangouserbackup.core.IncompatibleDatabaseException;
import io.djangouserbackup.core.InvalidBackupException;
import io.djangouserbackup.model.Row;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The second identity of a table's rows besides their {@link PrimaryKey}: a unique text column that says which
 * thing a row is (a user's {@code username}, an OpenAI model's {@code name}), compared as the target compares it
 * ({@link UniqueText}). It refuses, in the check pass and naming both rows:
 * <ul>
 *   <li>the same text twice in the backup, or two texts the target's collation holds as one;</li>
 *   <li>in a merge, a backup row whose key the target holds under another text (another user that happens to have
 *       the same id: overwriting it would lose it);</li>
 *   <li>a backup row whose text a target row holds under another key, unless a replace removes that row or gives
 *       it its own text from the backup (two users swap usernames: the target row's text is then parked under a
 *       placeholder before writing, by {@link #parkMoved}).</li>
 * </ul>
 *
 * <pre>{@code
 * TextIdentity username = new TextIdentity(context, "users", table, primaryKey, "username");
 * username.declare(row, place);                     // in check, also without a database
 * username.checkAgainstTarget(row, place, id);      // in check, with a database
 * username.judge();                                 // in absentRows
 * username.parkMoved(writes);                       // in beforeWrite, after removing absent rows
 * }</pre>
 */
public final class TextIdentity {
    private final MapperContext context;
    private final String section;
    private final Table table;
    private final PrimaryKey primaryKey;
    private final String column;
    private final UniqueText texts;
    private final List<Clash> clashes = new ArrayList<>();
    // Target rows whose text moves to another row: parked under a placeholder before writing, in key order.
    private final SortedSet<Object> parked = new TreeSet<>(TextIdentity::compareKeys);
    private PreparedStatement textByKey;

    private record Clash(String place, Object backupKey, Object targetKey) {
    }

    /**
     * The identity {@code column} of the rows of {@code section}.
     *
     * @param table      the target's table, or {@code null} when there is no database
     * @param primaryKey the table's key, or {@code null} when there is no database
     * @throws IllegalArgumentException when only one of table and key is given
     */
    public TextIdentity(MapperContext context, String section, Table table, PrimaryKey primaryKey, String column) {
        if ((table == null) != (primaryKey == null)) {
            throw new IllegalArgumentException("give both the table and its key, or neither (no database)");
        }
        this.context = Objects.requireNonNull(context, "context");
        this.section = Objects.requireNonNull(section, "section");
        this.table = table;
        this.primaryKey = primaryKey;
        this.column = Objects.requireNonNull(column, "column");
        this.texts = UniqueText.of(context, section, table, primaryKey == null ? "id" : primaryKey.column().name(), column);
    }

    /** The identity column. */
    public String column() {
        return column;
    }

    /**
     * Declares the row's text, if it has one: refuses the same text twice and notes it for the collation check.
     *
     * @throws InvalidBackupException when an earlier row has the same text
     */
    public void declare(Row row, String place) {
        if (row.get(column) instanceof String value) {
            texts.add(value, place);
        }
    }

    private boolean applies(Row row) {
        return context.handle().isPresent() && table != null && table.column(column).isPresent() && row.has(column);
    }

    /**
     * Compares the row with the target: in a merge, the target row with the same key must have the same text (a
     * selective import keeps it as it is and notes it); a target row with the same text and another key is judged
     * by {@link #judge()}, once every key is known.
     *
     * @param key the row's key, already checked by the {@link PrimaryKey}
     * @throws IncompatibleDatabaseException when a merge would overwrite a different row
     */
    public void checkAgainstTarget(Row row, String place, Object key) {
        if (!applies(row)) {
            return;
        }
        Object value = row.get(column);
        if (context.mode() == ImportMode.MERGE && primaryKey.inTarget(key)) {
            Object target = targetText(key, place);
            if (!Objects.equals(target, value) && context.keepsExisting(section)) {
                // A selective import does not overwrite the row, whatever it is called now (renamed since).
                context.note(section + ": " + table.name() + " " + keyName() + " " + key + " is " + column + " '" + target
                        + "' in the target database but '" + value + "' in the backup; kept as it is,"
                        + " the selected users' links restored to it");
            } else if (!Objects.equals(target, value)) {
                throw new IncompatibleDatabaseException(place + ": " + table.name() + " " + keyName() + " " + key + " is " + column
                        + " '" + target + "' in the target database but '" + value + "' in the backup;"
                        + " a merge would overwrite a different row (replace mode makes the target exactly the backup)");
            }
        }
        if (value instanceof String text && primaryKey.targetSize() > 0) {
            // An empty target (a freshly migrated database) holds nothing to clash with.
            Optional<UniqueText.TargetRow> owner = texts.inTarget(text);
            if (owner.isPresent() && !sameKey(owner.get().key(), key)) {
                clashes.add(new Clash(place + "." + column + ": '" + text + "'", key, owner.get().key()));
            }
        }
    }

    private String keyName() {
        return primaryKey.column().name();
    }

    private Object targetText(Object key, String place) {
        Dialect d = context.dialect();
        String sql = "SELECT " + d.quote(column) + " FROM " + d.quote(table.name()) + " WHERE " + d.quote(keyName()) + " = ?";
        try {
            if (textByKey == null) {
                textByKey = context.handle().orElseThrow().getConnection().prepareStatement(sql);
            }
            textByKey.setObject(1, d.toDatabase(key, primaryKey.column()));
            try (ResultSet rs = textByKey.executeQuery()) {
                return rs.next() ? d.read(rs, 1, table.column(column).orElseThrow()) : null;
            }
        } catch (SQLException e) {
            throw new DatabaseAccessException(place + ": reading " + table.name() + " failed: " + e.getMessage(), e);
        }
    }

    private static int compareKeys(Object a, Object b) {
        return a instanceof Number x && b instanceof Number y ? Long.compare(x.longValue(), y.longValue())
                : String.valueOf(a).compareTo(String.valueOf(b));
    }

    private static boolean sameKey(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return x.longValue() == y.longValue();
        }
        return Objects.equals(a, b);
    }

    private boolean declaredKey(Object key) {
        return key instanceof Number id ? context.references().isDeclaredId(section, id.longValue())
                : context.references().isDeclared(section, key);
    }

    /**
     * Once every row was checked: refuses texts of the backup the target's collation holds as one, then each backup
     * text a different target row holds, unless a replace removes that row (it is not in the backup) or gives it
     * its own backup text (its text is then parked, see {@link #parkMoved}).
     *
     * @throws IncompatibleDatabaseException naming both rows
     */
    public void judge() {
        texts.judge();
        if (textByKey != null) {
            try {
                textByKey.close();
            } catch (SQLException ignored) {
                // A lookup: closing it cannot lose data.
            }
            textByKey = null;
        }
        for (Clash clash : clashes) {
            boolean replace = context.mode() == ImportMode.REPLACE;
            if (replace && declaredKey(clash.targetKey())) {
                parked.add(clash.targetKey());
            } else if (!replace) {
                throw new IncompatibleDatabaseException(clash.place() + " belongs to " + table.name() + " " + keyName() + " "
                        + clash.targetKey() + " in the target database, but to " + keyName() + " " + clash.backupKey()
                        + " in the backup; two rows cannot share " + (column.matches("[aeioAEIO].*") ? "an " : "a ") + column);
            }
        }
        clashes.clear();
    }

    /**
     * Gives each target row whose text moves to another row a placeholder text no backup row has, so the unique
     * index holds while the rows are written; each such row then gets its own text from the backup.
     */
    public void parkMoved(BatchedWrites writes) {
        if (parked.isEmpty()) {
            return;
        }
        Dialect d = context.dialect();
        try {
            for (Object key : parked) {
                writes.add("UPDATE " + d.quote(table.name()) + " SET " + d.quote(column) + " = ? WHERE " + d.quote(keyName()) + " = ?",
                        "django-user-backup:parked:" + key, d.toDatabase(key, primaryKey.column()));
                writes.maybeFlush();
            }
            writes.flush();
        } catch (SQLException e) {
            throw new DatabaseAccessException("table " + table.name() + ": moving " + column + " values between rows failed: "
                    + e.getMessage(), e);
        }
        parked.clear();
    }
}
