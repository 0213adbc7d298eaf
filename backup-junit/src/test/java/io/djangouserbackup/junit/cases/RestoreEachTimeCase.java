package io.djangouserbackup.junit.cases;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.djangouserbackup.core.DjangoDatabase;
import io.djangouserbackup.core.ImportMode;
import io.djangouserbackup.junit.RestoreBackup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** Run by DjangoBackupExtensionTest: every test starts from the fixture again. */
@RestoreBackup("fixtures/two-users.json")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class RestoreEachTimeCase {

    @Test
    @Order(1)
    void firstTestDeletesAUser(Connection connection, DjangoDatabase database, DataSource dataSource, Path file)
            throws SQLException {
        assertEquals(2, Counts.users(connection));
        assertTrue(Files.isRegularFile(file));
        assertTrue(database.description().contains(file.toString()));
        Counts.execute(connection, "DELETE FROM auth_user_user_permissions");
        Counts.execute(connection, "DELETE FROM auth_user WHERE username = 'bob'");
        try (Connection other = dataSource.getConnection()) {
            assertEquals(1, Counts.users(other));
        }
    }

    @Test
    @Order(2)
    void secondTestSeesBothAgain(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            assertEquals(2, Counts.users(connection));
        }
    }

    @Test
    @Order(3)
    @RestoreBackup({"fixtures/two-users.json", "fixtures/carol.json.gz"})
    void aMethodsAnnotationWinsAndLaterBackupsAreMerged(Connection connection) throws SQLException {
        assertEquals(3, Counts.users(connection));
    }

    @Test
    @Order(4)
    @RestoreBackup(value = "fixtures/carol.json.gz", mode = ImportMode.MERGE)
    void mergeIntoTheEmptySchema(Connection connection) throws SQLException {
        assertEquals(1, Counts.users(connection));
    }
}
