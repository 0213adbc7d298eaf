package io.djangouserbackup.junit.cases;

import io.djangouserbackup.core.DjangoDatabase;
import io.djangouserbackup.junit.DatabaseExpectation;
import io.djangouserbackup.junit.RestoreBackup;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** Run by DjangoBackupExtensionTest: each test fails, and the failure must say where and why. */
public class FailingCase {

    @Test
    @RestoreBackup("fixtures/no-such-fixture.json")
    void missingFixture() {
    }

    @Test
    @RestoreBackup("fixtures/tampered.json")
    void tamperedFixture() {
    }

    @Test
    @RestoreBackup("fixtures/two-users.json")
    void databaseDiffersFromTheExpectation(Connection connection, DjangoDatabase database) throws SQLException {
        Counts.execute(connection, "UPDATE auth_user SET email = 'alice@elsewhere.example', "
                + "password = 'pbkdf2_sha256$1000$salt$AAAA' WHERE username = 'alice'");
        Counts.execute(connection, "DELETE FROM auth_user_user_permissions");
        Counts.execute(connection, "DELETE FROM auth_user WHERE username = 'bob'");
        Counts.execute(connection, "INSERT INTO auth_user (id, password, is_superuser, username, first_name, last_name, "
                + "email, is_staff, is_active, date_joined) VALUES (9, '!', 0, 'zed', '', '', '', 0, 1, '2024-01-01 00:00:00')");
        DatabaseExpectation.ofResource("fixtures/two-users.json").assertMatches(database);
    }

    @Test
    @RestoreBackup("fixtures/two-users.json")
    void ignoredColumnsAndExtraRowsPass(Connection connection, DjangoDatabase database) throws SQLException {
        Counts.execute(connection, "UPDATE auth_user SET email = 'alice@elsewhere.example', last_login = "
                + "'2025-01-01 00:00:00' WHERE username = 'alice'");
        Counts.execute(connection, "INSERT INTO auth_user (id, password, is_superuser, username, first_name, last_name, "
                + "email, is_staff, is_active, date_joined) VALUES (9, '!', 0, 'zed', '', '', '', 0, 1, '2024-01-01 00:00:00')");
        DatabaseExpectation.ofResource("fixtures/two-users.json").ignoringColumns("users.email", "last_login")
                .ignoringRowsNotInExpectation().assertMatches(database);
        throw new IllegalStateException("passed: the expectation held");
    }
}
