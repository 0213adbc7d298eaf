package io.djangouserbackup.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.djangouserbackup.core.BackupSource;
import io.djangouserbackup.core.DatabaseAccessException;
import io.djangouserbackup.core.DjangoDatabase;
import io.djangouserbackup.core.Exporter;
import io.djangouserbackup.core.ImportMode;
import io.djangouserbackup.core.Importer;
import io.djangouserbackup.core.InvalidBackupException;
import io.djangouserbackup.core.spi.BatchedWrites;
import io.djangouserbackup.core.spi.Dialect;
import io.djangouserbackup.core.spi.MapperContext;
import io.djangouserbackup.core.spi.PrimaryKey;
import io.djangouserbackup.core.spi.Reference;
import io.djangouserbackup.core.spi.RowAction;
import io.djangouserbackup.core.spi.RowRemoval;
import io.djangouserbackup.core.spi.SectionRun;
import io.djangouserbackup.core.spi.Table;
import io.djangouserbackup.core.spi.TableMapper;
import io.djangouserbackup.model.Row;
import io.djangouserbackup.model.Sections;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, from outside the library's packages: a mapper written by hand for a table keyed by its user, from the
 * public building blocks of {@code spi} only (PrimaryKey, Reference, BatchedWrites, RowRemoval), restores like the
 * built-in sections; sections are ordered by their dependencies and a cycle is refused when it is configured.
 */
class HandWrittenMapper11Test {
    @TempDir
    Path dir;

    /** {@code nickname(user_id PRIMARY KEY -> auth_user, nick, granted_permission_id -> auth_permission)}. */
    static final class NicknameMapper implements TableMapper {
        @Override
        public String section() {
            return "nicknames";
        }

        @Override
        public List<String> dependsOn() {
            return List.of(Sections.USERS, Sections.PERMISSIONS);
        }

        @Override
        public SectionRun start(MapperContext context) {
            return new SectionRun() {
                private final Reference user = Reference.users();
                private final Reference permission = Reference.permissions();
                private Table table;
                private PrimaryKey key;
                private BatchedWrites writes;
                private List<Object> absent = List.of();

                private Table table() {
                    if (table == null) {
                        table = context.schema().require("nickname");
                        key = PrimaryKey.of(context, table);
                        writes = new BatchedWrites(context.handle().orElseThrow().getConnection());
                    }
                    return table;
                }

                @Override
                public void exportRows(Consumer<Row> sink) {
                    Dialect d = context.dialect();
                    try (PreparedStatement statement = context.handle().orElseThrow().getConnection().prepareStatement(
                            "SELECT user_id, nick, granted_permission_id FROM " + d.quote(table().name()) + " ORDER BY user_id");
                         ResultSet rs = statement.executeQuery()) {
                        while (rs.next()) {
                            sink.accept(Row.builder().put("user_id", rs.getLong(1)).put("nick", rs.getString(2))
                                    .put("granted", permission.toDocument(rs.getLong(3), context)).build());
                        }
                    } catch (SQLException e) {
                        throw new DatabaseAccessException(e.getMessage(), e);
                    }
                }

                @Override
                public RowAction check(Row row, String place) {
                    user.check(row.get("user_id"), place + ".user_id", context);
                    permission.check(row.get("granted"), place + ".granted", context);
                    if (context.handle().isEmpty()) {
                        PrimaryKey.checkKey(row, "user_id", true, context.references(), section(), place);
                        return RowAction.SKIP;
                    }
                    Object id = key(row, place);
                    return key.inTarget(id) ? RowAction.UPDATE : RowAction.CREATE;
                }

                private Object key(Row row, String place) {
                    table();
                    return key.check(row, section(), place);
                }

                @Override
                public long absentRows() {
                    if (context.handle().isPresent() && context.mode() == ImportMode.REPLACE) {
                        table();
                        absent = key.absent(section());
                    }
                    return absent.size();
                }

                @Override
                public void beforeWrite() {
                    RowRemoval.remove(context, table(), "user_id", absent, writes);
                }

                @Override
                public void write(Row row, String place) {
                    Dialect d = context.dialect();
                    try {
                        writes.add(d.upsert(table().name(), List.of("user_id", "nick", "granted_permission_id"), List.of("user_id")),
                                row.get("user_id"), row.get("nick"), permission.toTarget(row.get("granted"), context));
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

    private Path database(String name, String schema) throws Exception {
        Path db = dir.resolve(name);
        Files.copy(Path.of(HandWrittenMapper11Test.class.getResource("/django/" + schema).toURI()), dir.resolve(name + ".sql"));
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + db);
             var statement = connection.createStatement()) {
            for (String line : Files.readString(dir.resolve(name + ".sql")).split(";\n")) {
                if (!line.isBlank()) {
                    statement.execute(line);
                }
            }
            statement.execute("CREATE TABLE nickname (user_id integer NOT NULL PRIMARY KEY REFERENCES auth_user (id),"
                    + " nick varchar(20) NOT NULL, granted_permission_id integer NOT NULL REFERENCES auth_permission (id))");
        }
        return db;
    }

    private static void sql(Path db, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + db);
             var statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static List<String> nicknames(Path db) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + db);
             var statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT n.user_id, n.nick, p.codename FROM nickname n JOIN auth_permission p"
                     + " ON p.id = n.granted_permission_id ORDER BY n.user_id")) {
            while (rs.next()) {
                rows.add(rs.getLong(1) + " " + rs.getString(2) + " " + rs.getString(3));
            }
        }
        return rows;
    }

    @Test
    void aMapperBuiltFromTheSpiPartsRestoresIntoADatabaseWithOtherPermissionIds() throws Exception {
        Path source = database("source.sqlite3", "auth-user.sql");
        sql(source, "INSERT INTO auth_user (id, password, is_superuser, username, last_name, email, is_staff, is_active, date_joined,"
                + " first_name) VALUES (3, 'x', 0, 'carol', '', '', 0, 1, '2022-05-19 22:34:19', '')");
        sql(source, "INSERT INTO nickname SELECT 3, 'caz', id FROM auth_permission WHERE codename = 'view_openaimodel'");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Exporter.of(DjangoDatabase.sqlite(source).withMapper(new NicknameMapper())).exportTo(out);
        Path target = database("target.sqlite3", "auth-user-extra-apps.sql");

        Importer.of(DjangoDatabase.sqlite(target).withMapper(new NicknameMapper())).withMode(ImportMode.REPLACE)
                .importFrom(BackupSource.of(out.toByteArray()));

        assertThat(nicknames(target)).containsExactly("3 caz view_openaimodel");
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text.indexOf("\"nicknames\"")).isGreaterThan(text.indexOf("\"users\""));
        assertThat(text).contains("\"granted\":{\"app_label\":\"chat\",\"model\":\"openaimodel\",\"codename\":\"view_openaimodel\"}");

        String dangling = text.replace("\"user_id\":3", "\"user_id\":4");
        assertThatThrownBy(() -> Importer.of(DjangoDatabase.sqlite(target).withMapper(new NicknameMapper()))
                .importFrom(BackupSource.of(io.djangouserbackup.core.BackupDigest.seal(dangling).getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(InvalidBackupException.class)
                .hasMessage("nicknames[0].user_id: user 4 is not in the backup's users");
    }

    private record Named(String section, List<String> dependsOn) implements TableMapper {
        @Override
        public SectionRun start(MapperContext context) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void sectionsComeAfterTheSectionsTheyDependOnAndACycleIsRefusedWhenConfigured() {
        DjangoDatabase db = DjangoDatabase.sqlite(dir.resolve("none.sqlite3"))
                .withMapper(new Named("comments", List.of("posts")))
                .withMapper(new Named("posts", List.of(Sections.USERS)));

        assertThat(db.mappers().stream().map(TableMapper::section).toList())
                .containsExactly(Sections.PERMISSIONS, Sections.GROUPS, Sections.USERS, Sections.OPENAI_MODELS, "posts", "comments");
        assertThatThrownBy(() -> db.withMapper(new Named("authors", List.of("comments"))).withMapper(new Named("a", List.of("b")))
                .withMapper(new Named("b", List.of("a"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("sections depend on each other in a cycle: a -> b -> a; a backup could not be read in one pass");
    }
}
