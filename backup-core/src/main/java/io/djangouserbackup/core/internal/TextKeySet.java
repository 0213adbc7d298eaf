package io.djangouserbackup.core.internal;

import io.djangouserbackup.core.DatabaseAccessException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;

/**
 * A set of strings that keeps memory flat: small sets live in a {@link HashSet}; past a limit the set moves into
 * a private SQLite file (owner-only, deleted on close), so checking a million usernames for duplicates does not
 * need a million strings in a small heap.
 *
 * <p>The limit scales with the heap: about one key per 2 KiB of maximum heap, so a key of typical length
 * (around 100 bytes with its map entry) keeps the set under 5% of the heap, and a 150-character username
 * (Django's longest) under 20%. With {@code -Xmx64m} the set moves to the file at 32,768 keys; with a
 * default heap of a few GiB it stays in memory for a million users, where the file's inserts would cost
 * a third of an import's check.
 */
public final class TextKeySet implements AutoCloseable {
    /** Never fewer keys in memory than this, however small the heap. */
    static final int MIN_IN_MEMORY = 20_000;

    private final long inMemoryLimit;
    private Set<String> memory = new HashSet<>();
    private Path file;
    private Connection spill;
    private PreparedStatement insert;
    private PreparedStatement lookup;

    /** A set whose in-memory limit follows the heap (see the class comment). */
    public TextKeySet() {
        this(Math.max(MIN_IN_MEMORY, Runtime.getRuntime().maxMemory() / 2048));
    }

    /** A set that moves to a file past {@code inMemoryLimit} keys. */
    TextKeySet(long inMemoryLimit) {
        this.inMemoryLimit = inMemoryLimit;
    }

    /** Adds the key; false when it was there already. */
    public boolean add(String key) {
        try {
            if (spill == null) {
                if (memory.size() < inMemoryLimit || memory.contains(key)) {
                    return memory.add(key);
                }
                moveToFile();
            }
            insert.setString(1, key);
            return insert.executeUpdate() == 1;
        } catch (SQLException | IOException e) {
            throw new DatabaseAccessException("keeping track of keys in a temporary file failed: " + e.getMessage(), e);
        }
    }

    /** Whether the keys live in a file now. */
    boolean spilled() {
        return spill != null;
    }

    /** Whether the key was added. */
    public boolean contains(String key) {
        if (spill == null) {
            return memory.contains(key);
        }
        try {
            lookup.setString(1, key);
            try (ResultSet rs = lookup.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new DatabaseAccessException("keeping track of keys in a temporary file failed: " + e.getMessage(), e);
        }
    }

    private void moveToFile() throws IOException, SQLException {
        file = Files.createTempFile("django-user-backup-keys", ".sqlite3",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        spill = DriverManager.getConnection("jdbc:sqlite:" + file);
        try (Statement statement = spill.createStatement()) {
            statement.execute("PRAGMA journal_mode = OFF");
            statement.execute("PRAGMA synchronous = OFF");
            statement.execute("CREATE TABLE k (key TEXT PRIMARY KEY) WITHOUT ROWID");
        }
        spill.setAutoCommit(false);
        insert = spill.prepareStatement("INSERT OR IGNORE INTO k (key) VALUES (?)");
        lookup = spill.prepareStatement("SELECT 1 FROM k WHERE key = ?");
        for (String key : memory) {
            insert.setString(1, key);
            insert.addBatch();
        }
        insert.executeBatch();
        memory = null;
    }

    @Override
    public void close() {
        try {
            if (spill != null) {
                spill.close();
            }
        } catch (SQLException ignored) {
            // A scratch file: nothing in it matters once the run is over.
        } finally {
            spill = null;
            memory = new HashSet<>();
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // Left in the temp folder, owner-only.
                }
            }
        }
    }
}
