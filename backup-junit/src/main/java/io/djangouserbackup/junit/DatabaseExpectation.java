package io.djangouserbackup.junit;

import io.djangouserbackup.core.BackupSource;
import io.djangouserbackup.core.DjangoDatabase;
import io.djangouserbackup.core.DjangoFixture;
import io.djangouserbackup.core.ImportMode;
import io.djangouserbackup.core.ImportReport;
import io.djangouserbackup.core.Importer;
import io.djangouserbackup.core.RowChange;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * What a database should hold after a test, as a backup (a file, a classpath resource or a {@link DjangoFixture}),
 * and the assertion that it does. Immutable; {@code ignoring...} returns a copy.
 *
 * <pre>{@code
 * DatabaseExpectation.ofResource("fixtures/after-billing.json")
 *         .ignoringColumns("last_login", "password")
 *         .assertMatches(database);
 * }</pre>
 *
 * <p>The comparison is the one {@code import --dry-run} makes: users by id, groups by name, OpenAI models by name,
 * with their links (a user's {@code groups} and {@code user_permissions}, a group's {@code permissions}, a model's
 * {@code assigned_users}) compared by natural key. A failure lists each differing row and the names of its
 * differing fields, never a value, so no password hash reaches a test report:
 *
 * <pre>
 * database jdbc:sqlite:/tmp/.../db.sqlite3 does not match fixtures/after-billing.json: 3 rows differ
 * users:
 *   differs    id 1 alice: email, groups
 *   missing    id 3 carol
 *   unexpected id 9 zed
 * </pre>
 *
 * {@code missing}: in the expectation, not in the database; {@code differs}: in both, with other values in the
 * fields named; {@code unexpected}: in the database, not in the expectation (not reported with
 * {@link #ignoringRowsNotInExpectation()}).
 */
public final class DatabaseExpectation {

    private final BackupSource expected;
    private final String description;
    private final Set<String> ignoredColumns;
    private final boolean ignoreExtraRows;

    private DatabaseExpectation(BackupSource expected, String description, Set<String> ignoredColumns, boolean ignoreExtraRows) {
        this.expected = expected;
        this.description = description;
        this.ignoredColumns = Set.copyOf(ignoredColumns);
        this.ignoreExtraRows = ignoreExtraRows;
    }

    /** The database should hold what this backup holds. */
    public static DatabaseExpectation of(BackupSource expected) {
        return new DatabaseExpectation(Objects.requireNonNull(expected, "expected"), expected.description(), Set.of(), false);
    }

    /** The database should hold what this fixture holds. */
    public static DatabaseExpectation of(DjangoFixture expected) {
        return new DatabaseExpectation(expected.source(), "the expected fixture", Set.of(), false);
    }

    /** The database should hold what this backup file holds (plain or gzip). */
    public static DatabaseExpectation ofFile(Path file) {
        return new DatabaseExpectation(BackupSource.of(file), file.toString(), Set.of(), false);
    }

    /** The database should hold what this classpath resource holds (plain or gzip), read now. */
    public static DatabaseExpectation ofResource(String resource) {
        String name = resource.startsWith("/") ? resource.substring(1) : resource;
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        try (InputStream in = (loader == null ? DatabaseExpectation.class.getClassLoader() : loader).getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalArgumentException("no such classpath resource: " + resource);
            }
            return new DatabaseExpectation(BackupSource.of(in.readAllBytes()), resource, Set.of(), false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    /**
     * A copy that does not compare these fields: a column ({@code "last_login"}) or link ({@code "groups"}) of any
     * section, or of one section ({@code "users.password"}).
     */
    public DatabaseExpectation ignoringColumns(String... columns) {
        Set<String> more = new LinkedHashSet<>(ignoredColumns);
        more.addAll(List.of(columns));
        return new DatabaseExpectation(expected, description, more, ignoreExtraRows);
    }

    /** A copy that accepts rows in the database that the expectation does not have. */
    public DatabaseExpectation ignoringRowsNotInExpectation() {
        return new DatabaseExpectation(expected, description, ignoredColumns, true);
    }

    /**
     * The differences between the database and the expectation: rows {@code CREATED} (missing from the database),
     * {@code UPDATED} (differing, with the fields not ignored) and {@code REMOVED} (not in the expectation), as the
     * dry run of restoring the expectation reports them. Empty when the database matches.
     */
    public List<RowChange> differences(DjangoDatabase database) {
        ImportReport report = Importer.of(database).withMode(ignoreExtraRows ? ImportMode.MERGE : ImportMode.REPLACE)
                .report(expected);
        List<RowChange> differences = new ArrayList<>();
        for (RowChange row : report.rows()) {
            switch (row.change()) {
                case UNCHANGED -> { }
                case UPDATED -> {
                    List<String> fields = row.changedFields().stream()
                            .filter(field -> !ignoredColumns.contains(field) && !ignoredColumns.contains(row.section() + "." + field))
                            .toList();
                    if (!fields.isEmpty()) {
                        differences.add(new RowChange(row.section(), row.key(), row.label(), row.change(), fields));
                    }
                }
                case REMOVED -> {
                    if (!ignoreExtraRows) {
                        differences.add(row);
                    }
                }
                default -> differences.add(row);
            }
        }
        return differences;
    }

    /**
     * Fails with the list of differences unless the database matches the expectation.
     *
     * @throws AssertionError listing each differing row and field (names only)
     */
    public void assertMatches(DjangoDatabase database) {
        List<RowChange> differences = differences(database);
        if (differences.isEmpty()) {
            return;
        }
        StringBuilder message = new StringBuilder("database ").append(database.description()).append(" does not match ")
                .append(description).append(": ").append(differences.size())
                .append(differences.size() == 1 ? " row differs" : " rows differ");
        String section = null;
        for (RowChange row : differences) {
            if (!row.section().equals(section)) {
                section = row.section();
                message.append('\n').append(section).append(':');
            }
            String key = row.key() instanceof String ? "" : "id " + row.key();
            String label = row.label() == null ? "" : (key.isEmpty() ? "" : " ") + row.label();
            String fields = row.changedFields().isEmpty() ? "" : ": " + String.join(", ", row.changedFields());
            message.append('\n').append(String.format(Locale.ROOT, "  %-10s %s%s%s", word(row.change()), key, label, fields));
        }
        throw new AssertionError(message.toString());
    }

    private static String word(RowChange.Change change) {
        return switch (change) {
            case CREATED -> "missing";
            case UPDATED -> "differs";
            case REMOVED -> "unexpected";
            case UNCHANGED -> "same";
        };
    }

    @Override
    public String toString() {
        return "DatabaseExpectation[" + description + (ignoredColumns.isEmpty() ? "" : ", ignoring " + ignoredColumns)
                + (ignoreExtraRows ? ", ignoring rows not in it" : "") + "]";
    }
}
