package io.djangouserbackup.core.spi;

import io.djangouserbackup.core.DatabaseAccessException;
import io.djangouserbackup.core.IncompatibleDatabaseException;
import io.djangouserbackup.core.InvalidBackupException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Optional;

/**
 * One unique text column of a table (a user's {@code username}, a group's {@code name}, allauth's
 * {@code account_emailaddress.email}) checked the way the target compares texts. During the check pass each backup
 * value is added: the same text twice is refused at once, and texts that differ but that the target's collation
 * holds as one (MySQL's {@code alice} and {@code Alice}) are refused by {@link #judge()}, naming both rows, before
 * anything is written. {@link #inTarget} finds the target row that holds a text as the server compares it, so a
 * mapper sees that the backup's {@code editors} is the target's {@code Editors}. Without a database (verifying a
 * file) only exact duplicates are found.
 *
 * <pre>{@code
 * UniqueText names = UniqueText.of(context, "groups", table, "id", "name");
 * names.add(name, place);                                   // for each checked row
 * Optional<UniqueText.TargetRow> there = names.inTarget(name);
 * names.judge();                                            // once every row was checked
 * }</pre>
 */
public final class UniqueText implements AutoCloseable {
    private final MapperContext context;
    private final String section;
    private final Table table;
    private final String keyColumn;
    private final String column;
    private final String declaredSet;
    private TextCollisions collisions;
    private boolean collisionsAsked;
    private PreparedStatement lookup;

    /**
     * A target row that holds a text.
     *
     * @param key  its key (the {@code keyColumn} given to {@link #of})
     * @param text its text as the target holds it, which may differ from the one looked up (in case, say)
     */
    public record TargetRow(Object key, String text) {
    }

    private UniqueText(MapperContext context, String section, Table table, String keyColumn, String column) {
        this.context = Objects.requireNonNull(context, "context");
        this.section = Objects.requireNonNull(section, "section");
        this.table = table;
        this.keyColumn = Objects.requireNonNull(keyColumn, "keyColumn");
        this.column = Objects.requireNonNull(column, "column");
        this.declaredSet = section + "." + column;
    }

    /**
     * The check of {@code column} of {@code table}, whose rows are keyed by {@code keyColumn}.
     *
     * @param section the section whose rows are added, for messages
     * @param table   the target's table, or {@code null} when there is no database
     */
    public static UniqueText of(MapperContext context, String section, Table table, String keyColumn, String column) {
        return new UniqueText(context, section, table, keyColumn, column);
    }

    /** The column checked. */
    public String column() {
        return column;
    }

    /**
     * Adds a text of the backup.
     *
     * @param rowPlace the row's place ({@code users[3]}); messages name the field under it
     * @throws InvalidBackupException when an earlier row added the same text
     */
    public void add(String value, String rowPlace) {
        if (!context.references().declareText(declaredSet, value)) {
            throw new InvalidBackupException(rowPlace + "." + column, column + " '" + value + "' appears twice in " + section);
        }
        TextCollisions check = collisions();
        if (check != null) {
            check.add(value, rowPlace + "." + column);
        }
    }

    /** The engine's check of texts the column holds as one, asked once; null when texts compare exactly. */
    private TextCollisions collisions() {
        if (!collisionsAsked) {
            collisionsAsked = true;
            if (context.handle().isPresent() && table != null && table.column(column).isPresent()) {
                collisions = context.dialect().textCollisions(context.handle().orElseThrow(), table, table.column(column).get());
            }
        }
        return collisions;
    }

    /**
     * The target row whose text the server holds equal to {@code value} (itself, or one differing only in what the
     * column's collation ignores), as the target was before the import wrote anything.
     */
    public Optional<TargetRow> inTarget(String value) {
        if (context.handle().isEmpty() || table == null || table.column(column).isEmpty()) {
            return Optional.empty();
        }
        Dialect d = context.dialect();
        Column text = table.column(column).get();
        try {
            if (lookup == null) {
                lookup = context.handle().orElseThrow().getConnection().prepareStatement("SELECT " + d.quote(keyColumn) + ", "
                        + d.quote(column) + " FROM " + d.quote(table.name()) + " WHERE " + d.quote(column) + " = ?");
            }
            lookup.setObject(1, d.toDatabase(value, text));
            try (ResultSet rs = lookup.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Object key = d.read(rs, 1, table.column(keyColumn).orElseThrow());
                return Optional.of(new TargetRow(key, String.valueOf(d.read(rs, 2, text))));
            }
        } catch (SQLException e) {
            throw new DatabaseAccessException("table " + table.name() + ": looking up " + column + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * The refusal of a backup text that the target holds written differently under another row (a merge would
     * otherwise create a second row the unique index refuses, or write into the other one).
     */
    public IncompatibleDatabaseException differentlyWritten(String rowPlace, String value, TargetRow target) {
        return new IncompatibleDatabaseException(rowPlace + "." + column + ": '" + value + "' and the target database's "
                + table.name() + " " + keyColumn + " " + target.key() + " '" + target.text() + "' are one " + column + " to the"
                + " target's " + table.name() + "." + column + ", which ignores differences of case, accents or trailing"
                + " spaces; rename one before importing (a replace import makes the target exactly the backup)");
    }

    /**
     * Once every row was added: refuses the first two texts of the backup the target's collation holds as one,
     * naming both rows, then frees what the check kept.
     *
     * @throws IncompatibleDatabaseException naming both rows and the collation
     */
    public void judge() {
        try {
            if (collisions != null) {
                Optional<TextCollisions.Collision> found = collisions.first();
                if (found.isPresent()) {
                    TextCollisions.Collision c = found.get();
                    throw new IncompatibleDatabaseException(c.secondPlace() + ": '" + c.secondValue() + "' and " + c.firstPlace()
                            + " '" + c.firstValue() + "' are one " + column + " to the target's " + table.name() + "." + column
                            + " (collation " + c.collation() + ", which ignores differences of case, accents or trailing"
                            + " spaces), so it cannot hold both; rename one before importing");
                }
            }
        } finally {
            close();
        }
    }

    /** Frees the lookup and what the collation check kept on the server. */
    @Override
    public void close() {
        if (collisions != null) {
            collisions.close();
            collisions = null;
        }
        if (lookup != null) {
            try {
                lookup.close();
            } catch (SQLException ignored) {
                // A lookup: closing it cannot lose data.
            }
            lookup = null;
        }
    }
}
