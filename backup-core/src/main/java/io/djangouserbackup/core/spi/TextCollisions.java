package io.djangouserbackup.core.spi;

import java.util.Optional;

/**
 * Finds different texts that a column's unique index would hold as the same value: MySQL's collations ignore case
 * ({@code alice} = {@code Alice}), accents ({@code zoë} = {@code zoe}) and trailing spaces, and
 * {@code utf8mb4_general_ci} holds all emoji equal. A backup from SQLite or PostgreSQL, which compare texts exactly,
 * may have two users that such a target cannot keep apart; the import must refuse them, naming both, rather than
 * fail half-way or merge them. Made by {@link Dialect#textCollisions}; values are added during the check pass.
 */
public interface TextCollisions extends AutoCloseable {

    /** Two places of the backup whose different texts the column holds as one. */
    record Collision(String firstPlace, String firstValue, String secondPlace, String secondValue, String collation) {
    }

    /** Adds a text of the backup and the place it stands at (e.g. {@code users[3].username}). */
    void add(String value, String place);

    /** The first collision among the texts added, if any. */
    Optional<Collision> first();

    /** Frees what the check kept on the server. */
    @Override
    void close();
}
