package io.djangouserbackup.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A custom user model with a nullable foreign key to another model of the project ({@code team =
 * ForeignKey(Team, null=True)}), restored without that model's table: the users' {@code team_id} points at teams the
 * fresh target lacks, and the import fails when it commits. It said {@code rows of other tables would point at rows
 * that are gone ...; merge instead}: wrong for a merge (it is one) and silent about the cause; now it names the
 * reference and both ways out, and the database stays as it was. The export, where it can still be mended, says
 * so in a note.
 */
class UserForeignKeyTest {
    @TempDir
    Path dir;

    private Path database(String name) {
        Path db = TestDatabases.create(dir, name + ".sqlite3", TestDatabases.CUSTOM_USER);
        TestDatabases.execute(db, "CREATE TABLE \"people_team\" (\"id\" integer NOT NULL PRIMARY KEY AUTOINCREMENT,"
                + " \"name\" varchar(80) NOT NULL UNIQUE)");
        TestDatabases.execute(db, "ALTER TABLE \"accounts_user\" ADD COLUMN \"team_id\" integer NULL REFERENCES"
                + " \"people_team\" (\"id\") DEFERRABLE INITIALLY DEFERRED");
        return db;
    }

    @Test
    void aMergeOfUsersWhoseTeamTheTargetLacksIsRefusedNamingTheReference() {
        Path source = database("source");
        TestDatabases.execute(source, "INSERT INTO people_team (id, name) VALUES (1, 'Ünïcode team')");
        TestDatabases.execute(source, "INSERT INTO accounts_user (id, password, last_login, is_superuser, username, first_name,"
                + " last_name, email, is_staff, is_active, date_joined, phone, birth_date, karma, balance, bio, external_id,"
                + " team_id) VALUES (4, '!', NULL, 0, 'ana', '', '', 'ana@example.com', 0, 1, '2024-05-01 09:30:15', '', NULL,"
                + " 0, 0, '', NULL, 1)");
        String backup = ExportImportProperties.export(source);
        Path target = database("target");
        String before = TestDatabases.sha256(target);

        assertThatThrownBy(() -> ExportImportProperties.importInto(target, backup, ImportMode.MERGE))
                .isInstanceOf(IncompatibleDatabaseException.class)
                .hasMessage("nothing was imported: it would leave rows pointing at rows the target database does not hold"
                        + " (accounts_user -> people_team): the backup's rows refer to rows of a table it does not hold"
                        + " and the target lacks them (create them first, or back that table up too: export --table), or"
                        + " a replace removed rows that other tables point at (merge instead)");
        assertThat(TestDatabases.sha256(target)).isEqualTo(before);
    }

    @Test
    void anExportNotesAUserColumnReferringToATableTheBackupDoesNotHold() {
        Path source = database("source");

        ExportResult plain = Exporter.of(DjangoDatabase.sqlite(source)).exportTo(new java.io.ByteArrayOutputStream());
        ExportResult withTeams = Exporter.of(DjangoDatabase.sqlite(source).withTables(java.util.List.of("people_team")))
                .exportTo(new java.io.ByteArrayOutputStream());

        assertThat(plain.notes()).contains("accounts_user.team_id refers to table people_team, which this backup does not"
                + " hold: a restore into a database that lacks those rows fails; add --table people_team to back it up too");
        assertThat(withTeams.notes()).noneMatch(note -> note.contains("people_team"));
    }
}
