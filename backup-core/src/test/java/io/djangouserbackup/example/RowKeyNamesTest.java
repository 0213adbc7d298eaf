package io.djangouserbackup.example;

import static org.assertj.core.api.Assertions.assertThat;

import io.djangouserbackup.core.BackupSource;
import io.djangouserbackup.core.DiffResult;
import io.djangouserbackup.core.Differ;
import io.djangouserbackup.core.DjangoDatabase;
import io.djangouserbackup.core.Exporter;
import io.djangouserbackup.core.ImportReport;
import io.djangouserbackup.core.Importer;
import io.djangouserbackup.core.RowChange;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A dry run and a diff name each row of a table added with {@code export --table} by its own key column: a profile
 * keyed by its user as {@code user_id 1} (not {@code id 1}, which would be another row), an API token by the start
 * of its key's SHA-256 (the key is the token itself, a secret). A diff matches such rows by that key, so a changed
 * profile is one update, not a removal and a creation.
 */
class RowKeyNamesTest {
    private static final String TOKEN = "9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b";

    @TempDir
    Path dir;
    private Path source;
    private Path target;

    @BeforeEach
    void databases() throws Exception {
        source = dir.resolve("source.sqlite3");
        target = dir.resolve("target.sqlite3");
        for (Path db : List.of(source, target)) {
            String schema = new String(RowKeyNamesTest.class.getResourceAsStream("/django/auth-user.sql").readAllBytes(),
                    StandardCharsets.UTF_8);
            sql(db, schema.split(";\n"));
            sql(db, "INSERT INTO auth_user (id, password, is_superuser, username, last_name, email, is_staff, is_active,"
                            + " date_joined, first_name) VALUES (1, 'x', 0, 'alice', '', '', 0, 1, '2022-05-19 22:34:19', ''),"
                            + " (2, 'x', 0, 'bob', '', '', 0, 1, '2022-05-19 22:34:19', '')",
                    "CREATE TABLE accounts_profile (user_id integer NOT NULL PRIMARY KEY REFERENCES auth_user (id),"
                            + " bio text NOT NULL)",
                    "CREATE TABLE authtoken_token (key varchar(40) NOT NULL PRIMARY KEY, created datetime NOT NULL,"
                            + " user_id integer NOT NULL UNIQUE REFERENCES auth_user (id))");
        }
        sql(source, "INSERT INTO accounts_profile VALUES (1, 'hi'), (2, 'yo')",
                "INSERT INTO authtoken_token VALUES ('" + TOKEN + "', '2024-01-01 00:00:00', 1)");
        sql(target, "INSERT INTO accounts_profile VALUES (1, 'changed')");
    }

    private static void sql(Path db, String... statements) throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + db);
             var statement = connection.createStatement()) {
            for (String sql : statements) {
                if (!sql.isBlank()) {
                    statement.execute(sql);
                }
            }
        }
    }

    private static byte[] export(Path db) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Exporter.of(DjangoDatabase.sqlite(db).withTables(List.of("accounts_profile", "authtoken_token"))).exportTo(out);
        return out.toByteArray();
    }

    private static List<String> described(List<RowChange> rows, String... sections) {
        return rows.stream().filter(r -> List.of(sections).contains(r.section()))
                .map(r -> r.change() + " " + r.describe() + " " + r.changedFields()).toList();
    }

    @Test
    void aDryRunNamesAddedRowsByTheirKeyColumnAndNeverShowsAToken() {
        ImportReport report = Importer.of(DjangoDatabase.sqlite(target)).report(BackupSource.of(export(source)));

        String tokenShown = described(report.rows(), "authtoken_token").get(0);
        assertThat(described(report.rows(), "accounts_profile"))
                .containsExactly("UPDATED user_id 1 [bio]", "CREATED user_id 2 []");
        assertThat(tokenShown).matches("CREATED key sha256:[0-9a-f]{12} \\[]").doesNotContain(TOKEN);
        assertThat(described(report.rows(), "users")).containsExactly("UNCHANGED id 1 alice []", "UNCHANGED id 2 bob []");
    }

    @Test
    void aDiffMatchesAddedRowsByTheirKeyColumn() {
        DiffResult diff = Differ.standard().diff(BackupSource.of(export(target)), BackupSource.of(export(source)));

        assertThat(described(diff.changes(), "accounts_profile"))
                .containsExactly("UPDATED user_id 1 [bio]", "CREATED user_id 2 []");
        assertThat(described(diff.changes(), "authtoken_token")).singleElement().asString()
                .matches("CREATED key sha256:[0-9a-f]{12} \\[]").doesNotContain(TOKEN);
        assertThat(diff.changes().toString()).doesNotContain(TOKEN);
    }
}
