package io.djangouserbackup.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.djangouserbackup.core.internal.SafeFiles;
import io.djangouserbackup.core.mappers.IncludedTableMapper;
import io.djangouserbackup.model.Sections;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;

/**
 * Issue 11's properties over generated extra tables: a primary key that is an integer {@code id}, a text
 * {@code key} or a one-to-one {@code user_id}; columns of random types; a foreign key to users, a
 * self-reference, foreign keys to content types and permissions (natural keys, restored into a database whose ids
 * differ), and a many-to-many to users.
 */
class ExtraTableProperties {
    private static final String TABLE = "extra_thing";
    private static final String LINKS = "extra_thing_watchers";
    private static final long USERS = 5;

    enum KeyKind { ID, TEXT, ONE_TO_ONE }

    enum Kind {
        INTEGER("integer"), TEXT("varchar(20)"), BOOL("bool"), DATETIME("datetime"), DATE("date");

        final String declared;

        Kind(String declared) {
            this.declared = declared;
        }
    }

    record ColumnSpec(String name, Kind kind, boolean nullable) {
    }

    /** One generated table and its rows; values are SQL parameters, {@code null} for NULL. */
    record Spec(KeyKind key, List<ColumnSpec> columns, boolean userFk, boolean selfRef, boolean contentType,
                boolean watchers, List<Map<String, Object>> rows) {

        String keyColumn() {
            return switch (key) {
                case ID -> "id";
                case TEXT -> "key";
                case ONE_TO_ONE -> "user_id";
            };
        }

        IncludedTableMapper mapper() {
            Map<String, String> references = new LinkedHashMap<>();
            if (key == KeyKind.ONE_TO_ONE || userFk) {
                references.put(key == KeyKind.ONE_TO_ONE ? "user_id" : "owner_id", Sections.USERS);
            }
            if (selfRef) {
                references.put("parent_id", TABLE);
            }
            if (contentType) {
                references.put("content_type_id", IncludedTableMapper.CONTENT_TYPES);
                references.put("permission_id", Sections.PERMISSIONS);
            }
            List<IncludedTableMapper.LinkShape> links = watchers && key != KeyKind.TEXT
                    ? List.of(new IncludedTableMapper.LinkShape("watchers", LINKS, "thing_id", "user_id", Sections.USERS))
                    : List.of();
            return new IncludedTableMapper(TABLE, new IncludedTableMapper.Shape(TABLE, keyColumn(), references, links));
        }

        List<String> ddl() {
            List<String> ddl = new ArrayList<>();
            StringBuilder table = new StringBuilder("CREATE TABLE \"" + TABLE + "\" (");
            String keyType = key == KeyKind.TEXT ? "varchar(40)" : "integer";
            table.append('"').append(keyColumn()).append("\" ").append(keyType).append(" NOT NULL PRIMARY KEY");
            if (key == KeyKind.ONE_TO_ONE) {
                table.append(" REFERENCES \"auth_user\" (\"id\") DEFERRABLE INITIALLY DEFERRED");
            }
            for (ColumnSpec column : columns) {
                table.append(", \"").append(column.name()).append("\" ").append(column.kind().declared)
                        .append(column.nullable() ? " NULL" : " NOT NULL");
            }
            if (userFk && key != KeyKind.ONE_TO_ONE) {
                table.append(", \"owner_id\" integer NULL REFERENCES \"auth_user\" (\"id\") DEFERRABLE INITIALLY DEFERRED");
            }
            if (selfRef) {
                table.append(", \"parent_id\" ").append(keyType).append(" NULL REFERENCES \"").append(TABLE).append("\" (\"")
                        .append(keyColumn()).append("\") DEFERRABLE INITIALLY DEFERRED");
            }
            if (contentType) {
                table.append(", \"content_type_id\" integer NOT NULL REFERENCES \"django_content_type\" (\"id\") DEFERRABLE INITIALLY DEFERRED");
                table.append(", \"permission_id\" integer NOT NULL REFERENCES \"auth_permission\" (\"id\") DEFERRABLE INITIALLY DEFERRED");
            }
            ddl.add(table.append(")").toString());
            if (watchers && key != KeyKind.TEXT) {
                ddl.add("CREATE TABLE \"" + LINKS + "\" (\"id\" integer NOT NULL PRIMARY KEY AUTOINCREMENT, \"thing_id\" integer NOT NULL"
                        + " REFERENCES \"" + TABLE + "\" (\"" + keyColumn() + "\") DEFERRABLE INITIALLY DEFERRED, \"user_id\" integer NOT NULL REFERENCES"
                        + " \"auth_user\" (\"id\") DEFERRABLE INITIALLY DEFERRED)");
            }
            return ddl;
        }
    }

    private Path dir;
    private int counter;

    @BeforeProperty
    void createFolder() throws IOException {
        dir = Files.createTempDirectory("dub-extra");
    }

    @AfterProperty
    void deleteFolder() throws IOException {
        SafeFiles.deleteTree(dir);
    }

    @Provide
    Arbitrary<Spec> specs() {
        Arbitrary<List<ColumnSpec>> columns = Combinators.combine(Arbitraries.of(Kind.class), Arbitraries.of(true, false))
                .as((kind, nullable) -> new Object[] {kind, nullable}).list().ofMaxSize(4)
                .map(list -> {
                    List<ColumnSpec> specs = new ArrayList<>();
                    for (int i = 0; i < list.size(); i++) {
                        specs.add(new ColumnSpec("c" + i, (Kind) list.get(i)[0], (Boolean) list.get(i)[1]));
                    }
                    return specs;
                });
        return Combinators.combine(Arbitraries.of(KeyKind.class), columns, Arbitraries.of(true, false),
                        Arbitraries.of(true, false), Arbitraries.of(true, false), Arbitraries.of(true, false))
                .flatAs((key, cols, userFk, selfRef, contentType, watchers) -> rows(key, cols, userFk, selfRef, contentType, watchers)
                        .map(rows -> new Spec(key, cols, userFk, selfRef, contentType, watchers, rows)));
    }

    private static Arbitrary<List<Map<String, Object>>> rows(KeyKind key, List<ColumnSpec> columns, boolean userFk, boolean selfRef,
                                                             boolean contentType, boolean watchers) {
        Arbitrary<Object> keys = switch (key) {
            case ID -> Arbitraries.longs().between(1, 1_000_000).map(v -> (Object) v);
            case TEXT -> Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(40).map(v -> (Object) v);
            case ONE_TO_ONE -> Arbitraries.longs().between(1, USERS).map(v -> (Object) v);
        };
        return keys.set().ofMaxSize(key == KeyKind.ONE_TO_ONE ? (int) USERS : 8).flatMap(keySet -> {
            List<Object> keyList = new ArrayList<>(keySet);
            Arbitrary<Map<String, Object>> row = Arbitraries.randomValue(random -> {
                Map<String, Object> values = new LinkedHashMap<>();
                for (ColumnSpec column : columns) {
                    values.put(column.name(), column.nullable() && random.nextInt(4) == 0 ? null : value(column.kind(), random));
                }
                if (userFk && key != KeyKind.ONE_TO_ONE) {
                    values.put("owner_id", random.nextInt(3) == 0 ? null : (long) (1 + random.nextInt((int) USERS)));
                }
                if (selfRef) {
                    values.put("parent_id", keyList.isEmpty() || random.nextInt(3) == 0 ? null : keyList.get(random.nextInt(keyList.size())));
                }
                if (contentType) {
                    values.put("content_type", random.nextInt(4));
                }
                if (watchers) {
                    List<Long> users = new ArrayList<>();
                    for (long u = 1; u <= USERS; u++) {
                        if (random.nextBoolean()) {
                            users.add(u);
                        }
                    }
                    values.put("watchers", users);
                }
                return values;
            });
            return row.list().ofSize(keyList.size()).map(list -> {
                for (int i = 0; i < list.size(); i++) {
                    list.get(i).put(key == KeyKind.ID ? "id" : key == KeyKind.TEXT ? "key" : "user_id", keyList.get(i));
                }
                return list;
            });
        });
    }

    private static Object value(Kind kind, java.util.Random random) {
        return switch (kind) {
            case INTEGER -> random.nextLong() >> random.nextInt(64);
            case TEXT -> List.of("", "a", "Zoë", "\u4e2d\u6587", "quote\"'\\", "x".repeat(20), "emoji \uD83D\uDE00").get(random.nextInt(7));
            case BOOL -> random.nextBoolean() ? 1 : 0;
            case DATETIME -> List.of("2024-05-01 09:30:15.123456", "0001-01-01 00:00:00", "9999-12-31 23:59:59.999999").get(random.nextInt(3));
            case DATE -> List.of("2024-02-29", "0001-01-01", "9999-12-31").get(random.nextInt(3));
        };
    }

    private static final String[][] PERMISSIONS = {
        {"chat", "openaimodel", "change_openaimodel"}, {"auth", "user", "view_user"}, {"auth", "group", "add_group"},
        {"contenttypes", "contenttype", "delete_contenttype"},
    };

    private Path database(String schema, Spec spec, boolean withRows) {
        Path db = TestDatabases.create(dir, "db" + (counter++) + ".sqlite3", schema);
        spec.ddl().forEach(statement -> TestDatabases.execute(db, statement));
        if (!withRows) {
            return db;
        }
        for (long u = 1; u <= USERS; u++) {
            TestDatabases.insertUser(db, u, "user" + u, "pbkdf2_sha256$260000$s$" + u);
        }
        for (Map<String, Object> row : spec.rows()) {
            List<String> names = new ArrayList<>();
            List<Object> values = new ArrayList<>();
            row.forEach((name, value) -> {
                if (!name.equals("watchers") && !name.equals("content_type") && !name.equals("parent_id")) {
                    names.add(name);
                    values.add(value);
                }
            });
            if (spec.contentType()) {
                String[] permission = PERMISSIONS[(Integer) row.get("content_type")];
                names.add("content_type_id");
                values.add(TestDatabases.queryLong(db, "SELECT id FROM django_content_type WHERE app_label = '" + permission[0]
                        + "' AND model = '" + permission[1] + "'"));
                names.add("permission_id");
                values.add(TestDatabases.queryLong(db, "SELECT p.id FROM auth_permission p JOIN django_content_type ct ON"
                        + " ct.id = p.content_type_id WHERE ct.app_label = '" + permission[0] + "' AND p.codename = '" + permission[2] + "'"));
            }
            String sql = "INSERT INTO \"" + TABLE + "\" (" + String.join(", ", names.stream().map(n -> "\"" + n + "\"").toList())
                    + ") VALUES (" + String.join(", ", names.stream().map(n -> "?").toList()) + ")";
            TestDatabases.execute(db, sql, values.toArray());
        }
        for (Map<String, Object> row : spec.rows()) {
            if (spec.selfRef() && row.get("parent_id") != null) {
                TestDatabases.execute(db, "UPDATE \"" + TABLE + "\" SET parent_id = ? WHERE \"" + spec.keyColumn() + "\" = ?",
                        row.get("parent_id"), row.get(spec.keyColumn()));
            }
            if (spec.watchers() && spec.key() != KeyKind.TEXT) {
                for (Object user : (List<?>) row.get("watchers")) {
                    TestDatabases.execute(db, "INSERT INTO \"" + LINKS + "\" (thing_id, user_id) VALUES (?, ?)", row.get(spec.keyColumn()), user);
                }
            }
        }
        return db;
    }

    private static String export(Path db, Spec spec) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Exporter.of(DjangoDatabase.sqlite(db).withMapper(spec.mapper())).exportTo(out);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static ImportResult importInto(Path db, Spec spec, String backup, ImportMode mode) {
        return Importer.of(DjangoDatabase.sqlite(db).withMapper(spec.mapper())).withMode(mode)
                .importFrom(BackupSource.of(backup.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * The extra table's rows as stored, with storage classes, and content types and permissions by natural key (their
     * ids differ between the databases); the link table as (owner, user) pairs (its own ids are not kept).
     */
    private static String rawRows(Path db, Spec spec) {
        StringBuilder dump = new StringBuilder();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + db);
             Statement statement = connection.createStatement()) {
            List<String> columns = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery("PRAGMA table_info(\"" + TABLE + "\")")) {
                while (rs.next()) {
                    columns.add(rs.getString("name"));
                }
            }
            List<String> shown = new ArrayList<>();
            for (String column : columns) {
                if (column.equals("content_type_id")) {
                    shown.add("(SELECT app_label || '.' || model FROM django_content_type WHERE id = t.content_type_id)");
                } else if (column.equals("permission_id")) {
                    shown.add("(SELECT codename FROM auth_permission WHERE id = t.permission_id)");
                } else {
                    shown.add("typeof(t.\"" + column + "\") || ':' || quote(t.\"" + column + "\")");
                }
            }
            try (ResultSet rs = statement.executeQuery("SELECT " + String.join(", ", shown) + " FROM \"" + TABLE + "\" t ORDER BY 1")) {
                while (rs.next()) {
                    for (int i = 1; i <= shown.size(); i++) {
                        dump.append(rs.getString(i)).append('|');
                    }
                    dump.append('\n');
                }
            }
            if (spec.watchers() && spec.key() != KeyKind.TEXT) {
                try (ResultSet rs = statement.executeQuery("SELECT thing_id, user_id FROM \"" + LINKS + "\" ORDER BY 1, 2")) {
                    while (rs.next()) {
                        dump.append(rs.getLong(1)).append("->").append(rs.getLong(2)).append('\n');
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return dump.toString();
    }

    /** Export, import into a fresh database with other content-type and permission ids: the same raw rows. */
    @Property(tries = 40)
    void exportThenImportIsIdentityOnRawRows(@ForAll("specs") Spec spec) {
        Path source = database(TestDatabases.AUTH_USER, spec, true);
        Path target = database(TestDatabases.AUTH_USER_EXTRA_APPS, spec, false);

        importInto(target, spec, export(source, spec), ImportMode.MERGE);

        assertThat(rawRows(target, spec)).isEqualTo(rawRows(source, spec));
    }

    /** Importing the same backup twice, in either mode, leaves the database as the first import did. */
    @Property(tries = 25)
    void importingTwiceChangesNothing(@ForAll("specs") Spec spec, @ForAll ImportMode mode) {
        Path source = database(TestDatabases.AUTH_USER, spec, true);
        Path target = database(TestDatabases.AUTH_USER_EXTRA_APPS, spec, false);
        String backup = export(source, spec);
        importInto(target, spec, backup, mode);
        String once = TableDump.of(target);

        importInto(target, spec, backup, mode);

        assertThat(TableDump.of(target)).isEqualTo(once);
    }

    /** A reference to a row the backup does not hold is refused before anything is written. */
    @Property(tries = 25)
    void badReferencesNeverChangeTheDatabase(@ForAll("specsWithReferences") Spec spec, @ForAll int choice) throws Exception {
        List<String> fields = badReferences(spec);
        String field = fields.get(Math.floorMod(choice, fields.size()));
        Path source = database(TestDatabases.AUTH_USER, spec, true);
        Path target = database(TestDatabases.AUTH_USER_EXTRA_APPS, spec, true);
        ObjectMapper json = new ObjectMapper();
        ObjectNode document = (ObjectNode) json.readTree(export(source, spec));
        ObjectNode row = (ObjectNode) document.get(TABLE).get(0);
        switch (field) {
            case "owner_id" -> row.put("owner_id", 999_999L);
            case "parent_id" -> {
                if (spec.key() == KeyKind.TEXT) {
                    row.put("parent_id", "no-such-key");
                } else {
                    row.put("parent_id", 999_999_999L);
                }
            }
            case "watchers" -> row.putArray("watchers").add(999_999L);
            case "content_type_id" -> row.putObject("content_type_id").put("app_label", "nope").put("model", "gone");
            default -> row.putObject("permission_id").put("app_label", "nope").put("model", "gone").put("codename", "x");
        }
        String broken = BackupDigest.seal(json.writeValueAsString(document));
        String before = TestDatabases.sha256(target);

        for (ImportMode mode : ImportMode.values()) {
            assertThatThrownBy(() -> importInto(target, spec, broken, mode))
                    .isInstanceOfAny(InvalidBackupException.class, IncompatibleDatabaseException.class)
                    .hasMessageStartingWith(TABLE + "[0]");
        }
        assertThat(TestDatabases.sha256(target)).isEqualTo(before);
    }

    @Provide
    Arbitrary<Spec> specsWithReferences() {
        return specs().filter(spec -> !spec.rows().isEmpty() && !badReferences(spec).isEmpty());
    }

    /** The fields of the spec's rows that refer to other rows. */
    private static List<String> badReferences(Spec spec) {
        List<String> fields = new ArrayList<>();
        if (spec.userFk() && spec.key() != KeyKind.ONE_TO_ONE) {
            fields.add("owner_id");
        }
        if (spec.selfRef()) {
            fields.add("parent_id");
        }
        if (spec.watchers() && spec.key() != KeyKind.TEXT) {
            fields.add("watchers");
        }
        if (spec.contentType()) {
            fields.add("content_type_id");
            fields.add("permission_id");
        }
        return fields;
    }
}
