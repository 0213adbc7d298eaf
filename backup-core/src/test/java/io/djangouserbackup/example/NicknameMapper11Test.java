package io.djangouserbackup.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.djangouserbackup.core.BackupDigest;
import io.djangouserbackup.core.BackupSource;
import io.djangouserbackup.core.DatabaseAccessException;
import io.djangouserbackup.core.DjangoDatabase;
import io.djangouserbackup.core.Exporter;
import io.djangouserbackup.core.ImportMode;
import io.djangouserbackup.core.Importer;
import io.djangouserbackup.core.IncompatibleDatabaseException;
import io.djangouserbackup.core.InvalidBackupException;
import io.djangouserbackup.core.spi.BatchedWrites;
import io.djangouserbackup.core.spi.MapperContext;
import io.djangouserbackup.core.spi.PrimaryKey;
import io.djangouserbackup.core.spi.Reference;
import io.djangouserbackup.core.spi.RowAction;
import io.djangouserbackup.core.spi.RowRemoval;
import io.djangouserbackup.core.spi.SectionRun;
import io.djangouserbackup.core.spi.Table;
import io.djangouserbackup.core.spi.TableMapper;
import io.djangouserbackup.core.spi.TableRows;
import io.djangouserbackup.core.spi.TextIdentity;
import io.djangouserbackup.core.spi.UniqueText;
import io.djangouserbackup.model.Row;
import io.djangouserbackup.model.Sections;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, from outside the library's packages: the parts the built-in users, groups and OpenAI models are made of
 * ({@link TableRows} to read, check and write rows, {@link TextIdentity} and {@link UniqueText} for their unique
 * names) give a hand-written mapper the same behaviour: a nickname is a second identity of its row besides the user
 * it belongs to, and an e-mail address is unique.
 */
class NicknameMapper11Test {
    @TempDir
    Path dir;

    /** {@code nickname(user_id PRIMARY KEY -> auth_user, nick UNIQUE, email UNIQUE)}. */
    static final class NicknameMapper implements TableMapper {
        @Override
        public String section() {
            return "nicknames";
        }

        @Override
        public List<String> dependsOn() {
            return List.of(Sections.USERS);
        }

        @Override
        public SectionRun start(MapperContext context) {
            return new SectionRun() {
                private final Reference user = Reference.users();
                private Table table;
                private PrimaryKey key;
                private TextIdentity nick;
                private UniqueText emails;
                private BatchedWrites writes;
                private TableRows rows;
                private List<Object> absent = List.of();

                /** The parts, made once: without a database there is no table, and only the backup is checked. */
                private void parts() {
                    if (nick != null) {
                        return;
                    }
                    if (context.handle().isPresent()) {
                        table = context.schema().require("nickname");
                        key = PrimaryKey.of(context, table);
                        rows = new TableRows(context, table, "user_id", List.of());
                        writes = new BatchedWrites(context.handle().orElseThrow().getConnection());
                    }
                    nick = new TextIdentity(context, section(), table, key, "nick");
                    emails = UniqueText.of(context, section(), table, "user_id", "email");
                }

                @Override
                public void exportRows(Consumer<Row> sink) {
                    parts();
                    rows.export((column, value) -> value, sink);
                }

                @Override
                public RowAction check(Row row, String place) {
                    parts();
                    user.check(row.get("user_id"), place + ".user_id", context);
                    Object id = key == null ? PrimaryKey.checkKey(row, "user_id", true, context.references(), section(), place)
                            : key.check(row, section(), place);
                    nick.declare(row, place);
                    String email = (String) row.get("email");
                    emails.add(email, place);
                    if (key == null) {
                        return RowAction.SKIP;
                    }
                    rows.checkColumns(row, place, field -> false);
                    nick.checkAgainstTarget(row, place, id);
                    Optional<UniqueText.TargetRow> owner = emails.inTarget(email);
                    if (owner.isPresent() && !owner.get().key().equals(id)) {
                        throw new IncompatibleDatabaseException(place + ".email: '" + email + "' is user " + owner.get().key()
                                + "'s address ('" + owner.get().text() + "') in the target");
                    }
                    return key.inTarget(id) ? RowAction.UPDATE : RowAction.CREATE;
                }

                @Override
                public long absentRows() {
                    parts();
                    emails.judge();
                    nick.judge();
                    if (key != null && context.mode() == ImportMode.REPLACE) {
                        absent = key.absent(section());
                    }
                    return absent.size();
                }

                @Override
                public void beforeWrite() {
                    RowRemoval.remove(context, table, "user_id", absent, writes);
                    nick.parkMoved(writes);
                }

                @Override
                public void write(Row row, String place) {
                    try {
                        rows.writeColumns(row, key.inTarget(row.get("user_id")), rows::toDatabase, writes);
                        writes.maybeFlush();
                    } catch (SQLException e) {
                        throw new DatabaseAccessException(place + ": " + e.getMessage(), e);
                    }
                }

                @Override
                public void afterWrite() {
                    try {
                        writes.flush();
                        writes.close();
                    } catch (SQLException e) {
                        throw new DatabaseAccessException(e.getMessage(), e);
                    }
                }
            };
        }
    }

    private Path database(String name, String... nicknames) throws Exception {
        Path db = dir.resolve(name);
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + db);
             var statement = connection.createStatement()) {
            String schema = Files.readString(Path.of(NicknameMapper11Test.class.getResource("/django/auth-user.sql").toURI()));
            for (String line : schema.split(";\n")) {
                if (!line.isBlank()) {
                    statement.execute(line);
                }
            }
            statement.execute("CREATE TABLE nickname (user_id integer NOT NULL PRIMARY KEY REFERENCES auth_user (id),"
                    + " nick varchar(20) NOT NULL UNIQUE, email varchar(254) NOT NULL UNIQUE)");
            for (long id = 3; id <= 5; id++) {
                statement.execute("INSERT INTO auth_user (id, password, is_superuser, username, last_name, email, is_staff,"
                        + " is_active, date_joined, first_name) VALUES (" + id + ", 'x', 0, 'user" + id + "', '', '', 0, 1,"
                        + " '2022-05-19 22:34:19', '')");
            }
            for (String nickname : nicknames) {
                String[] parts = nickname.split(" ");
                statement.execute("INSERT INTO nickname VALUES (" + parts[0] + ", '" + parts[1] + "', '" + parts[2] + "')");
            }
        }
        return db;
    }

    private static String export(Path db) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Exporter.of(DjangoDatabase.sqlite(db).withMapper(new NicknameMapper())).exportTo(out);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static void importInto(Path db, String backup, ImportMode mode) {
        Importer.of(DjangoDatabase.sqlite(db).withMapper(new NicknameMapper())).withMode(mode)
                .importFrom(BackupSource.of(BackupDigest.seal(backup).getBytes(StandardCharsets.UTF_8)));
    }

    private static List<String> nicknames(Path db) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + db);
             var statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT user_id, nick, email FROM nickname ORDER BY user_id")) {
            while (rs.next()) {
                rows.add(rs.getLong(1) + " " + rs.getString(2) + " " + rs.getString(3));
            }
        }
        return rows;
    }

    private static String sha256(Path db) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(db)));
    }

    @Test
    void theSameNickOrAddressTwiceInTheBackupIsRefusedNamingTheSecond() throws Exception {
        String backup = export(database("source.sqlite3", "3 caz c@x", "4 dee d@x"));
        Path target = database("target.sqlite3");

        assertThatThrownBy(() -> importInto(target, backup.replace("\"dee\"", "\"caz\""), ImportMode.MERGE))
                .isInstanceOf(InvalidBackupException.class)
                .hasMessage("nicknames[1].nick: nick 'caz' appears twice in nicknames");
        assertThatThrownBy(() -> importInto(target, backup.replace("\"d@x\"", "\"c@x\""), ImportMode.MERGE))
                .isInstanceOf(InvalidBackupException.class)
                .hasMessage("nicknames[1].email: email 'c@x' appears twice in nicknames");
        assertThat(nicknames(target)).isEmpty();
    }

    @Test
    void aMergeRefusesANickAnotherTargetRowHoldsOrARowTheTargetCallsOtherwiseNamingBoth() throws Exception {
        String backup = export(database("source.sqlite3", "3 caz c@x"));
        Path taken = database("taken.sqlite3", "4 caz d@x");
        Path renamed = database("renamed.sqlite3", "3 cazzie c@x");
        Path address = database("address.sqlite3", "5 eve c@x");
        String takenBefore = sha256(taken);

        assertThatThrownBy(() -> importInto(taken, backup, ImportMode.MERGE))
                .isInstanceOf(IncompatibleDatabaseException.class)
                .hasMessage("nicknames[0].nick: 'caz' belongs to nickname user_id 4 in the target database, but to user_id 3"
                        + " in the backup; two rows cannot share a nick");
        assertThat(sha256(taken)).isEqualTo(takenBefore);
        assertThatThrownBy(() -> importInto(renamed, backup, ImportMode.MERGE))
                .isInstanceOf(IncompatibleDatabaseException.class)
                .hasMessage("nicknames[0]: nickname user_id 3 is nick 'cazzie' in the target database but 'caz' in the backup;"
                        + " a merge would overwrite a different row (replace mode makes the target exactly the backup)");
        assertThatThrownBy(() -> importInto(address, backup, ImportMode.MERGE))
                .isInstanceOf(IncompatibleDatabaseException.class)
                .hasMessage("nicknames[0].email: 'c@x' is user 5's address ('c@x') in the target");

        // A replace removes the target's row that is not in the backup, and overwrites the one that is.
        importInto(taken, backup, ImportMode.REPLACE);
        importInto(renamed, backup, ImportMode.REPLACE);
        assertThat(nicknames(taken)).containsExactly("3 caz c@x");
        assertThat(nicknames(renamed)).containsExactly("3 caz c@x");
    }

    @Test
    void aFieldTheTargetTableLacksIsRefusedAndAMissingRowIsInsertedAnExistingOneUpdated() throws Exception {
        String backup = export(database("source.sqlite3", "3 caz c@x", "4 dee d@x"));
        Path target = database("target.sqlite3", "4 dee old@x");

        assertThatThrownBy(() -> importInto(target, backup.replace("\"nick\":\"caz\"", "\"nick\":\"caz\",\"colour\":\"red\""),
                ImportMode.MERGE))
                .isInstanceOf(IncompatibleDatabaseException.class)
                .hasMessage("nicknames[0].colour: table nickname has no column colour");
        importInto(target, backup, ImportMode.MERGE);
        assertThat(nicknames(target)).containsExactly("3 caz c@x", "4 dee d@x");
    }

    @Test
    void aReplaceSwapsTheNicksOfTwoRowsThroughAPlaceholder() throws Exception {
        String backup = export(database("source.sqlite3", "3 ann a@x", "4 ben b@x"));
        Path target = database("target.sqlite3", "3 ben a@x", "4 ann b@x");

        importInto(target, backup, ImportMode.REPLACE);

        assertThat(nicknames(target)).containsExactly("3 ann a@x", "4 ben b@x");
        importInto(target, backup, ImportMode.REPLACE);
        assertThat(nicknames(target)).containsExactly("3 ann a@x", "4 ben b@x");
    }
}
