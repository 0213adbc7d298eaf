package io.djangouserbackup.core;

import java.nio.file.Path;

/** {@link ConcurrentWriters14Test} on SQLite in WAL mode: readers and the writer go on side by side. */
class SqliteWalConcurrentWriters14Test extends SqliteConcurrentWriters14Test {
    @Override
    void prepare(Path file) {
        TestDatabases.execute(file, "PRAGMA journal_mode = WAL");
    }
}
