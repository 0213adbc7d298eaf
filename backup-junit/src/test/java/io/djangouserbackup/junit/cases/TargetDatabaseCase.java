package io.djangouserbackup.junit.cases;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.djangouserbackup.core.DjangoDatabase;
import io.djangouserbackup.core.DjangoSchema;
import io.djangouserbackup.junit.RestoreBackup;
import io.djangouserbackup.junit.TargetDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** Run by DjangoBackupExtensionTest: the target is the test's own database, shared by its tests. */
@RestoreBackup("fixtures/two-users.json")
public class TargetDatabaseCase {

    @TargetDatabase
    static final DjangoDatabase SHARED = create();

    private static DjangoDatabase create() {
        try {
            return DjangoSchema.authAndOpenAiModels().createSqlite(Files.createTempDirectory("target-case").resolve("shared.sqlite3"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void restoredIntoTheNamedDatabase(DjangoDatabase database, Connection connection) throws SQLException {
        assertSame(SHARED, database);
        assertEquals(2, Counts.users(connection));
    }

    @Test
    @RestoreBackup({"fixtures/two-users.json", "fixtures/carol.json.gz"})
    void replacedAgainBeforeTheNextTest(Connection connection) throws SQLException {
        assertEquals(3, Counts.users(connection));
    }
}
