package io.djangouserbackup.core;

import java.nio.file.Path;
import java.util.Map;

/** {@link ConcurrentWriters14Test} on SQLite with a rollback journal, Django's default: readers hold writers back. */
class SqliteConcurrentWriters14Test extends ConcurrentWriters14Test {
    private Path db;

    Path file() {
        if (db == null) {
            db = TestDatabases.create(dir, "shared.sqlite3", TestDatabases.AUTH_USER);
            prepare(db);
        }
        return db;
    }

    /** Sets the file up before the writer starts. */
    void prepare(Path file) {
    }

    @Override
    DjangoDatabase database() {
        return DjangoDatabase.sqlite(file());
    }

    @Override
    Map<String, String> djangoEnv() {
        return Map.of("DJANGO_DB_PATH", file().toString());
    }
}
