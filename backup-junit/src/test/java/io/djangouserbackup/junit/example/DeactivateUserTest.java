package io.djangouserbackup.junit.example;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.djangouserbackup.core.DjangoDatabase;
import io.djangouserbackup.core.DjangoFixture;
import io.djangouserbackup.core.DjangoPasswordHasher;
import io.djangouserbackup.junit.DatabaseExpectation;
import io.djangouserbackup.junit.RestoreBackup;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

// Before each test: a fresh SQLite database with Django's auth tables, holding exactly the fixture.
@RestoreBackup("fixtures/two-users.json")
class DeactivateUserTest {

    /** The code under test: any JDBC code of your service. */
    static void deactivate(DataSource dataSource, String username) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement update = connection.prepareStatement(
                     "UPDATE auth_user SET is_active = ? WHERE username = ?")) {
            update.setBoolean(1, false);
            update.setString(2, username);
            assertEquals(1, update.executeUpdate());
        }
    }

    @Test
    void deactivatesOnlyThatUser(DataSource dataSource, DjangoDatabase database) throws SQLException {
        deactivate(dataSource, "bob");

        DjangoFixture expected = DjangoFixture.builder()
                .passwordHasher(DjangoPasswordHasher.forDjango("4.2"))  // Django 4.2's 600,000 iterations
                .group("editors", "chat.openaimodel.change_openaimodel", "auth.user.view_user")
                .user("alice", "alice-password", user -> user.staff().email("alice@example.com").groups("editors"))
                .user("bob", "bob-password", user -> user.inactive().email("bob@example.com")
                        .permissions("auth.group.view_group"))
                .openAiModel("gpt-4o", model -> model.temperature("0.7").users("alice"))
                .build();
        // Hashes differ by their random salts: compare everything else, row by row and field by field.
        DatabaseExpectation.of(expected).ignoringColumns("password").assertMatches(database);
    }
}
