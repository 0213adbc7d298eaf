package io.djangouserbackup.core.spi;

import io.djangouserbackup.core.ImportMode;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** What a mapper may use during one run. */
public interface MapperContext {

    /** The open connection, inside the run's transaction; empty when verifying a file without a database. */
    Optional<Handle> handle();

    /** The engine's SQL seam. */
    Dialect dialect();

    /** The tables of the database; throws when there is no database. */
    SchemaCatalog schema();

    /**
     * The name of the user table (Django's {@code AUTH_USER_MODEL}): configured, or found from the foreign keys
     * that point at it; throws when there is no database.
     */
    String userTable();

    /** How this import treats rows of the target the backup lacks ({@code MERGE} outside imports). */
    ImportMode mode();

    /** Keys the sections declare and resolve, shared by all mappers of the run. */
    References references();

    /**
     * The natural keys of the database's content types, permissions and groups, looked up once per run; throws
     * when there is no database.
     */
    NaturalKeys naturalKeys();

    /** Records something the user should know that is not a failure (shown in the result, never a secret). */
    void note(String message);

    /**
     * Records that a value of the column is stored not exactly but the way Django stores it there ({@code how}, e.g.
     * "stored as the nearest double, as Django stores decimals in SQLite"); the run notes it once per column, with the
     * number of values. The default notes it without a count.
     */
    default void approximated(String table, String column, String how) {
        note(table + "." + column + ": " + how);
    }

    /**
     * Whether the target's rows of the section stay exactly as they are: a selective import ({@code import --user})
     * creates the groups and OpenAI models its users need when the target lacks them, but never changes one that is
     * there (its name, its permissions, its other members). A mapper that honours it reports such a row as
     * {@link RowAction#SKIP} and writes nothing for it but what resolves references to it. False by default.
     */
    default boolean keepsExisting(String section) {
        return false;
    }

    /**
     * Whether links to the user with this id may be added or removed: in a selective import only the selected
     * users' links change ({@link LinkTable#sync} leaves every other user's link row as it is); true for every user
     * otherwise.
     */
    default boolean isSelectedUser(long userId) {
        return true;
    }
}
