package io.djangouserbackup.core;

import static io.djangouserbackup.core.ServerRoundTripTest.assertSameDocument;
import static io.djangouserbackup.core.ServerRoundTripTest.export;
import static io.djangouserbackup.core.ServerRoundTripTest.importInto;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.djangouserbackup.core.internal.SafeFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;

/**
 * Invariants over generated user data on a real MariaDB migrated by Django, and the move across all three engines.
 * The data is anything Django can store in SQLite: unicode and control characters, emoji, NULLs, timestamps from
 * year 1 to 9999, decimals. MariaDB's {@code utf8mb4_general_ci} holds some different texts as one (case, accents,
 * trailing spaces, every emoji alike); when the generated data has such a pair, the import into MariaDB must be
 * refused, naming the pair, with nothing written.
 */
class MariaDbProperties {
    private Path dir;
    private int counter;

    @BeforeProperty
    void createFolder() throws IOException {
        MariaDbServer.SERVER.require();
        PostgresServer.SERVER.require();
        dir = Files.createTempDirectory("dub-mariadb-properties");
    }

    @AfterProperty
    void deleteFolder() throws IOException {
        SafeFiles.deleteTree(dir);
    }

    @Provide
    Arbitrary<UserData> userData() {
        return UserDataArbitraries.userData();
    }

    @Provide
    Arbitrary<DocumentBreakage> breakage() {
        return DocumentBreakage.all();
    }

    private String sqliteBackup(UserData data) {
        Path source = TestDatabases.create(dir, "source" + (counter++) + ".sqlite3", TestDatabases.AUTH_USER);
        data.insertInto(source);
        return export(DjangoDatabase.sqlite(source));
    }

    /**
     * SQLite → PostgreSQL → MariaDB → SQLite gives back identical data: each server exports the same JSON value as
     * SQLite did, and SQLite restored from MariaDB's backup exports the original document byte for byte. Unless
     * MariaDB cannot hold the data apart: then the import says which two values collide, those two really are one
     * to MariaDB, and the MariaDB database is left as it was.
     */
    @Property(tries = 20)
    void sqliteToPostgresToMariaDbToSqliteIsIdentity(@ForAll("userData") UserData generated, @ForAll boolean caseTwin) {
        UserData data = caseTwin ? withCaseTwin(generated) : generated;
        Statistics.coverage(coverage -> {
            coverage.check("moved").count(n -> n > 0);
            coverage.check("refused: two values are one to MariaDB").count(n -> n > 0);
        });
        String fromSqlite = sqliteBackup(data);
        ServerDatabase postgres = PostgresServer.SERVER.create("default");
        importInto(postgres.django(), fromSqlite, ImportMode.MERGE);
        String fromPostgres = export(postgres.django());
        postgres.drop();
        ServerDatabase mariadb = MariaDbServer.SERVER.create("default");
        try {
            moveOn(data, fromSqlite, fromPostgres, mariadb);
        } finally {
            mariadb.drop();
        }
    }

    private void moveOn(UserData data, String fromSqlite, String fromPostgres, ServerDatabase mariadb) {
        String emptyMariaDb = export(mariadb.django());

        try {
            importInto(mariadb.django(), fromPostgres, ImportMode.MERGE);
        } catch (IncompatibleDatabaseException refused) {
            assertThat(refused.getMessage()).contains("collation utf8mb4_general_ci");
            assertThat(collidingPairs(mariadb, data)).as("values MariaDB holds as one").isNotEmpty();
            assertThat(export(mariadb.django())).isEqualTo(emptyMariaDb);
            Statistics.collect("refused: two values are one to MariaDB");
            return;
        }
        assertThat(collidingPairs(mariadb, data)).as("values MariaDB holds as one").isEmpty();
        Statistics.collect("moved");
        String fromMariaDb = export(mariadb.django());
        Path back = TestDatabases.create(dir, "back" + (counter++) + ".sqlite3", TestDatabases.AUTH_USER);
        importInto(DjangoDatabase.sqlite(back), fromMariaDb, ImportMode.MERGE);

        assertSameDocument(fromPostgres, fromSqlite);
        assertSameDocument(fromMariaDb, fromSqlite);
        assertThat(export(DjangoDatabase.sqlite(back))).isEqualTo(fromSqlite);
    }

    /**
     * The data with two more users, "case twin" and "CASE TWIN": two users on SQLite and PostgreSQL, one username to
     * MariaDB. Half the tries get them, so both outcomes of the property are always tried.
     */
    private static UserData withCaseTwin(UserData data) {
        long id = data.users().stream().mapToLong(UserData.User::id).max().orElse(0);
        List<UserData.User> users = new ArrayList<>(data.users());
        for (String username : List.of("case twin", "CASE TWIN")) {
            if (users.stream().noneMatch(u -> u.username().equals(username))) {
                users.add(new UserData.User(++id, username, "!", "", "", "", null, "2020-01-01 00:00:00", true, false, false,
                        List.of(), List.of()));
            }
        }
        return new UserData(users, data.groups(), data.models());
    }

    /** Importing the same backup a second time, in either mode, changes nothing MariaDB exports. */
    @Property(tries = 10)
    void importingTwiceChangesNothing(@ForAll("userData") UserData data) {
        String backup = sqliteBackup(data);
        ServerDatabase mariadb = MariaDbServer.SERVER.create("default");
        try {
            importTwice(data, backup, mariadb);
        } finally {
            mariadb.drop();
        }
    }

    private static void importTwice(UserData data, String backup, ServerDatabase mariadb) {
        try {
            importInto(mariadb.django(), backup, ImportMode.MERGE);
        } catch (IncompatibleDatabaseException collision) {
            assertThat(collidingPairs(mariadb, data)).isNotEmpty();
            return;
        }
        String once = export(mariadb.django());
        importInto(mariadb.django(), backup, ImportMode.MERGE);
        assertThat(export(mariadb.django())).isEqualTo(once);
        importInto(mariadb.django(), backup, ImportMode.REPLACE);
        assertThat(export(mariadb.django())).isEqualTo(once);
    }

    /** A backup that breaks a rule is refused, and MariaDB exports exactly what it held before. */
    @Property(tries = 12)
    void badDocumentLeavesTheDatabaseUnchanged(@ForAll("userData") UserData existing, @ForAll("userData") UserData data,
                                               @ForAll("breakage") DocumentBreakage breakage) {
        ServerDatabase mariadb = MariaDbServer.SERVER.create("default");
        try {
            importBroken(existing, data, breakage, mariadb);
        } finally {
            mariadb.drop();
        }
    }

    private void importBroken(UserData existing, UserData data, DocumentBreakage breakage, ServerDatabase mariadb) {
        try {
            importInto(mariadb.django(), sqliteBackup(existing), ImportMode.MERGE);
        } catch (IncompatibleDatabaseException collision) {
            // Nothing was written; the target is then the freshly migrated database, which is as good a start.
        }
        String before = export(mariadb.django());
        String broken = breakage.apply(sqliteBackup(data));

        assertThatThrownBy(() -> importInto(mariadb.django(), broken, ImportMode.REPLACE))
                .isInstanceOfAny(InvalidBackupException.class, IncompatibleDatabaseException.class);
        assertThat(export(mariadb.django())).isEqualTo(before);
    }

    /** Pairs of different usernames, group names or model names that MariaDB compares as equal. */
    private static List<String> collidingPairs(ServerDatabase mariadb, UserData data) {
        List<List<String>> sets = List.of(
                data.users().stream().map(UserData.User::username).toList(),
                data.groups().stream().map(UserData.Group::name).toList(),
                data.models().stream().map(UserData.Model::name).toList());
        List<String> pairs = new ArrayList<>();
        try (Connection connection = mariadb.connect();
             PreparedStatement equal = connection.prepareStatement(
                     "SELECT CAST(? AS CHAR CHARACTER SET utf8mb4) COLLATE utf8mb4_general_ci = CAST(? AS CHAR CHARACTER SET utf8mb4)")) {
            for (List<String> values : sets) {
                for (int i = 0; i < values.size(); i++) {
                    for (int j = i + 1; j < values.size(); j++) {
                        equal.setString(1, values.get(i));
                        equal.setString(2, values.get(j));
                        try (ResultSet rs = equal.executeQuery()) {
                            rs.next();
                            if (rs.getBoolean(1)) {
                                pairs.add(values.get(i) + " = " + values.get(j));
                            }
                        }
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return pairs;
    }
}
