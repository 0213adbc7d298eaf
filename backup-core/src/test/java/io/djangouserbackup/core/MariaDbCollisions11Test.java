package io.djangouserbackup.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issues 11 and 14 on real MariaDB, whose default collation ({@code utf8mb4_general_ci}) holds texts that differ only
 * in case as one: a unique text column of an included table (allauth's {@code account_emailaddress.email}, installed
 * by allauth's own migrations) and a group's name are checked the way the target compares them, in the check pass,
 * naming both rows; the database is left exactly as it was.
 */
class MariaDbCollisions11Test {
    @TempDir
    Path dir;

    private static final Map<String, String> MORE_APPS = Map.of("DJANGO_MORE_APPS", "1");

    private String emailsBackup(String secondEmail) {
        Path source = MoreTables.source(dir, "source.sqlite3", TestDatabases.AUTH_USER);
        TestDatabases.execute(source, "UPDATE account_emailaddress SET email = ? WHERE id = 4", secondEmail);
        return ServerRoundTripTest.export(DjangoDatabase.sqlite(source).withTables(List.of("account_emailaddress")));
    }

    @Test
    void includedEmailsThatDifferOnlyInCaseAreRefusedNamingBoth() {
        String backup = emailsBackup("ALICE@example.com");
        ServerDatabase mariadb = MariaDbServer.SERVER.create("default", MORE_APPS);
        String before = ServerRoundTripTest.export(mariadb.django().withTables(List.of("account_emailaddress")));

        for (ImportMode mode : ImportMode.values()) {
            assertThatThrownBy(() -> ServerRoundTripTest.importInto(mariadb.django(), backup, mode))
                    .isInstanceOf(IncompatibleDatabaseException.class)
                    .hasMessage("account_emailaddress[1].email: 'ALICE@example.com' and account_emailaddress[0].email"
                            + " 'alice@example.com' are one email to the target's account_emailaddress.email (collation"
                            + " utf8mb4_general_ci, which ignores differences of case, accents or trailing spaces), so it"
                            + " cannot hold both; rename one before importing");
        }
        assertThat(ServerRoundTripTest.export(mariadb.django().withTables(List.of("account_emailaddress")))).isEqualTo(before);
    }

    @Test
    void anIncludedEmailTheTargetHoldsInAnotherCaseUnderAnotherRowIsRefusedNamingBoth() {
        String backup = emailsBackup("bob@example.com");
        ServerDatabase mariadb = MariaDbServer.SERVER.create("default", MORE_APPS);
        ServerRoundTripTest.importInto(mariadb.django(), backup, ImportMode.MERGE);
        mariadb.execute("UPDATE account_emailaddress SET id = 40, email = 'Alice@Example.COM' WHERE id = 3");
        String before = ServerRoundTripTest.export(mariadb.django().withTables(List.of("account_emailaddress")));

        assertThatThrownBy(() -> ServerRoundTripTest.importInto(mariadb.django(), backup, ImportMode.MERGE))
                .isInstanceOf(IncompatibleDatabaseException.class)
                .hasMessage("account_emailaddress[0].email: 'alice@example.com' belongs to account_emailaddress row id 40"
                        + " (as 'Alice@Example.COM', which its collation holds as the same text) in the target database, but"
                        + " to id 3 in the backup; account_emailaddress.email is unique, so the target cannot hold both;"
                        + " change one of them first");
        assertThat(ServerRoundTripTest.export(mariadb.django().withTables(List.of("account_emailaddress")))).isEqualTo(before);

        // A replace removes the target's row 40 first: then the backup's row 3 has its address alone.
        ServerRoundTripTest.importInto(mariadb.django(), backup, ImportMode.REPLACE);
        assertThat(mariadb.queryLong("SELECT id FROM account_emailaddress WHERE email = 'alice@example.com'")).isEqualTo(3);
        assertThat(mariadb.queryLong("SELECT COUNT(*) FROM account_emailaddress")).isEqualTo(2);
    }

    @Test
    void aMergeRefusesAGroupTheTargetHoldsInAnotherCaseNamingBoth() {
        Path source = TestDatabases.create(dir, "groups.sqlite3", TestDatabases.AUTH_USER);
        TestDatabases.insertUser(source, 1, "alice", "!");
        TestDatabases.addToGroup(source, 1, "editors");
        String backup = ServerRoundTripTest.export(DjangoDatabase.sqlite(source));
        ServerDatabase mariadb = MariaDbServer.SERVER.create("default");
        mariadb.execute("INSERT INTO auth_group (id, name) VALUES (9, 'Editors')");
        String before = ServerRoundTripTest.export(mariadb.django());

        assertThatThrownBy(() -> ServerRoundTripTest.importInto(mariadb.django(), backup, ImportMode.MERGE))
                .isInstanceOf(IncompatibleDatabaseException.class)
                .hasMessage("groups[0].name: 'editors' and the target database's auth_group id 9 'Editors' are one name to"
                        + " the target's auth_group.name, which ignores differences of case, accents or trailing spaces;"
                        + " rename one before importing (a replace import makes the target exactly the backup)");
        assertThat(ServerRoundTripTest.export(mariadb.django())).isEqualTo(before);

        // A replace makes the target exactly the backup: the target's own group goes, the backup's comes.
        ServerRoundTripTest.importInto(mariadb.django(), backup, ImportMode.REPLACE);
        assertThat(mariadb.queryLong("SELECT COUNT(*) FROM auth_group WHERE name = 'editors' AND BINARY name = 'editors'"))
                .isEqualTo(1);
        assertThat(mariadb.queryLong("SELECT COUNT(*) FROM auth_group")).isEqualTo(1);
    }
}
