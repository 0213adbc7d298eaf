package io.djangouserbackup.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.djangouserbackup.model.Sections;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13: a Django fixture ({@code manage.py dumpdata} output) is imported like a backup, through the public
 * API: users and groups without ids matched by natural key and given new ids, links resolved by natural key,
 * permission ids accepted only where they mean the same permission in the target, and every refusal before
 * anything is written.
 */
class DjangoFixtureImport13Test {
    @TempDir
    Path dir;

    private static final String PERMISSION = "{\"model\": \"auth.permission\", \"fields\": {\"name\": \"Can view user\","
            + " \"content_type\": [\"auth\", \"user\"], \"codename\": \"view_user\"}}";
    private static final String EDITORS = "{\"model\": \"auth.group\", \"fields\": {\"name\": \"editors\","
            + " \"permissions\": [[\"view_user\", \"auth\", \"user\"]]}}";

    private static String user(String pk, String username, String groups, String permissions) {
        return "{\"model\": \"auth.user\", " + (pk == null ? "" : "\"pk\": " + pk + ", ") + "\"fields\": {\"password\":"
                + " \"pbkdf2_sha256$260000$c2FsdA$aGFzaA=\", \"last_login\": \"2024-03-01T10:00:00.123Z\", \"is_superuser\": false,"
                + " \"username\": \"" + username + "\", \"first_name\": \"\", \"last_name\": \"\", \"email\": \"\","
                + " \"is_staff\": false, \"is_active\": true, \"date_joined\": \"2020-01-01T00:00:00Z\", \"groups\": " + groups
                + ", \"user_permissions\": " + permissions + "}}";
    }

    private static String model(long pk, String users) {
        return "{\"model\": \"chat.openaimodel\", \"pk\": " + pk + ", \"fields\": {\"name\": \"gpt-" + pk + "\","
                + " \"description\": \"\", \"max_tokens\": 100, \"temperature\": \"0.70\", \"is_enabled\": true,"
                + " \"created\": \"2024-01-01T00:00:00Z\", \"users\": " + users + "}}";
    }

    private static BackupSource fixture(String... entries) {
        return BackupSource.of(("[\n" + String.join(",\n", entries) + "\n]\n").getBytes(StandardCharsets.UTF_8));
    }

    /** A target with alice (1), bob (2) and carol (7), group admins (1), editors (2), and a model. */
    private Path target() {
        Path db = TestDatabases.create(dir, "db.sqlite3", TestDatabases.AUTH_USER);
        TestDatabases.insertUser(db, 1, "alice", "x");
        TestDatabases.insertUser(db, 2, "bob", "x");
        TestDatabases.insertUser(db, 7, "carol", "x");
        TestDatabases.addToGroup(db, 1, "admins");
        TestDatabases.addToGroup(db, 2, "editors");
        TestDatabases.insertModel(db, 1, "gpt-1", 0.5, 1);
        return db;
    }

    @Test
    void naturalPrimaryUsersAndGroupsAreMatchedByNameAndNewOnesGetNewIds() {
        Path db = target();
        BackupSource source = fixture(PERMISSION, EDITORS,
                "{\"model\": \"auth.group\", \"fields\": {\"name\": \"writers\", \"permissions\": []}}",
                user(null, "carol", "[[\"writers\"], [\"editors\"]]", "[[\"view_user\", \"auth\", \"user\"]]"),
                user(null, "erin", "[[\"editors\"]]", "[]"),
                model(1, "[[\"erin\"], [\"carol\"]]"));

        ImportResult result = Importer.of(DjangoDatabase.sqlite(db)).importFrom(source);

        assertThat(result.sections().get(Sections.USERS).created()).isEqualTo(1);
        assertThat(result.sections().get(Sections.USERS).updated()).isEqualTo(1);
        assertThat(TestDatabases.queryAll(db, "SELECT id, username, last_login FROM auth_user ORDER BY id")).isEqualTo("""
                1|alice|null|
                2|bob|null|
                7|carol|2024-03-01 10:00:00.123000|
                8|erin|null|
                """.replace("8|erin|null|", "8|erin|2024-03-01 10:00:00.123000|"));
        assertThat(TestDatabases.queryAll(db, "SELECT g.name, u.username FROM auth_user_groups ug JOIN auth_group g ON"
                + " g.id = ug.group_id JOIN auth_user u ON u.id = ug.user_id ORDER BY g.name, u.username")).isEqualTo("""
                admins|alice|
                editors|bob|
                editors|carol|
                editors|erin|
                writers|carol|
                """);
        assertThat(TestDatabases.queryLong(db, "SELECT id FROM auth_group WHERE name = 'writers'")).isEqualTo(3);
        assertThat(TestDatabases.queryAll(db, "SELECT user_id FROM chat_openaimodel_users ORDER BY user_id")).isEqualTo("7|\n8|\n");
        assertThat(TestDatabases.queryAll(db, "SELECT temperature FROM chat_openaimodel")).isEqualTo("0.7|\n");
        // Imported again, the same fixture changes nothing: the ids handed out are the ones the users now have.
        String links = "SELECT * FROM auth_user_groups ORDER BY id";
        String users = TestDatabases.queryAll(db, "SELECT * FROM auth_user ORDER BY id");
        String memberships = TestDatabases.queryAll(db, links);
        Importer.of(DjangoDatabase.sqlite(db)).importFrom(source);
        assertThat(TestDatabases.queryAll(db, "SELECT * FROM auth_user ORDER BY id")).isEqualTo(users);
        assertThat(TestDatabases.queryAll(db, links)).isEqualTo(memberships);
    }

    /** {@code dumpdata auth.user --natural-foreign}: no permission entries, the target's permissions are meant. */
    @Test
    void permissionsByNaturalKeyNeedNotBeInTheFixture() {
        Path db = target();

        Importer.of(DjangoDatabase.sqlite(db)).importFrom(fixture(
                user("9", "dan", "[]", "[[\"change_user\", \"auth\", \"user\"], [\"view_group\", \"auth\", \"group\"]]")));

        assertThat(TestDatabases.queryAll(db, "SELECT p.codename FROM auth_user_user_permissions up JOIN auth_permission p"
                + " ON p.id = up.permission_id WHERE up.user_id = 9 ORDER BY p.codename")).isEqualTo("change_user|\nview_group|\n");
        assertThatThrownBy(() -> Importer.of(DjangoDatabase.sqlite(db)).importFrom(fixture(
                user("10", "eve", "[]", "[[\"fly\", \"auth\", \"user\"]]"))))
                .isInstanceOf(InvalidBackupException.class)
                .hasMessage("[0].fields.user_permissions[0]: permission auth.user.fly is neither in the fixture nor in the"
                        + " target database");
    }

    @Test
    void modelsBeforeUsersInTheFileAndAGzippedFixtureImportToo() throws IOException {
        Path db = target();
        String text = "[" + String.join(",", model(1, "[[\"erin\"]]"), PERMISSION, EDITORS,
                user(null, "erin", "[]", "[]")) + "]";
        Path file = dir.resolve("fixture.json.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }

        Importer.of(DjangoDatabase.sqlite(db)).importFrom(BackupSource.of(file));

        assertThat(TestDatabases.queryAll(db, "SELECT user_id FROM chat_openaimodel_users")).isEqualTo("8|\n");
    }

    @Test
    void permissionIdsWithoutNaturalKeysAreAcceptedWhereTheyMeanTheSameInTheTarget() {
        Path db = target();
        long viewUser = TestDatabases.queryLong(db, "SELECT p.id FROM auth_permission p JOIN django_content_type ct ON"
                + " ct.id = p.content_type_id WHERE ct.app_label = 'auth' AND ct.model = 'user' AND p.codename = 'view_user'");
        long userType = TestDatabases.queryLong(db, "SELECT id FROM django_content_type WHERE app_label = 'auth' AND model = 'user'");
        String permission = "{\"model\": \"auth.permission\", \"pk\": " + viewUser + ", \"fields\": {\"name\": \"Can view user\","
                + " \"content_type\": " + userType + ", \"codename\": \"view_user\"}}";

        Importer.of(DjangoDatabase.sqlite(db)).importFrom(fixture(permission,
                "{\"model\": \"auth.group\", \"pk\": 5, \"fields\": {\"name\": \"viewers\", \"permissions\": [" + viewUser + "]}}",
                user("9", "dan", "[5]", "[" + viewUser + "]"), model(3, "[9]")));

        assertThat(TestDatabases.queryAll(db, "SELECT p.codename FROM auth_user_user_permissions up JOIN auth_permission p"
                + " ON p.id = up.permission_id WHERE up.user_id = 9")).isEqualTo("view_user|\n");
        assertThat(TestDatabases.queryAll(db, "SELECT user_id FROM chat_openaimodel_users WHERE openaimodel_id = 3")).isEqualTo("9|\n");
    }

    @Test
    void aPermissionIdThatMeansAnotherPermissionInTheTargetIsRefusedByName() {
        Path db = target();
        long viewUser = TestDatabases.queryLong(db, "SELECT p.id FROM auth_permission p WHERE p.codename = 'view_user'");
        long addGroup = TestDatabases.queryLong(db, "SELECT p.id FROM auth_permission p WHERE p.codename = 'add_group'");
        // In the fixture's source, add_group's id was view_user's.
        String permission = "{\"model\": \"auth.permission\", \"pk\": " + addGroup + ", \"fields\": {\"name\": \"Can view user\","
                + " \"content_type\": [\"auth\", \"user\"], \"codename\": \"view_user\"}}";
        String before = TestDatabases.sha256(db);

        assertThatThrownBy(() -> Importer.of(DjangoDatabase.sqlite(db)).importFrom(fixture(permission,
                user("9", "dan", "[]", "[" + addGroup + "]"), model(3, "[]"))))
                .isInstanceOf(InvalidBackupException.class)
                .hasMessage("[1].fields.user_permissions[0]: permission id " + addGroup + " is auth.user.view_user in the"
                        + " fixture but auth.group.add_group in the target database; ids without natural keys are safe only"
                        + " where they mean the same in both: re-dump it with manage.py dumpdata --natural-foreign");
        assertThat(TestDatabases.sha256(db)).isEqualTo(before);
        assertThat(viewUser).isNotEqualTo(addGroup);
    }

    @Test
    void replaceRefusesAFixtureWithoutOneKindOfRowAndMergeTakesIt() {
        Path db = target();
        BackupSource onlyUsers = fixture(PERMISSION, EDITORS, user(null, "erin", "[[\"editors\"]]", "[]"));
        String before = TestDatabases.sha256(db);

        assertThatThrownBy(() -> Importer.of(DjangoDatabase.sqlite(db)).withMode(ImportMode.REPLACE).importFrom(onlyUsers))
                .isInstanceOf(IncompatibleDatabaseException.class)
                .hasMessageContaining("the fixture holds no chat.openaimodel entries; replace mode would remove every one");
        assertThat(TestDatabases.sha256(db)).isEqualTo(before);

        Importer.of(DjangoDatabase.sqlite(db)).importFrom(onlyUsers);
        assertThat(TestDatabases.queryLong(db, "SELECT count(*) FROM chat_openaimodel")).isEqualTo(1);
        assertThat(TestDatabases.queryLong(db, "SELECT id FROM auth_user WHERE username = 'erin'")).isEqualTo(8);
    }

    @Test
    void replaceMakesTheTargetTheFixtureAndASelectiveImportTakesOneUser() {
        Path db = target();
        BackupSource source = fixture(PERMISSION, EDITORS, user(null, "carol", "[]", "[]"),
                user(null, "erin", "[[\"editors\"]]", "[]"), model(4, "[[\"erin\"]]"));

        Importer.of(DjangoDatabase.sqlite(db)).withUsers(List.of("erin")).importFrom(source);
        assertThat(TestDatabases.queryAll(db, "SELECT id, username FROM auth_user ORDER BY id")).isEqualTo("1|alice|\n2|bob|\n7|carol|\n8|erin|\n");

        Importer.of(DjangoDatabase.sqlite(db)).withMode(ImportMode.REPLACE).importFrom(source);
        assertThat(TestDatabases.queryAll(db, "SELECT id, username FROM auth_user ORDER BY id")).isEqualTo("7|carol|\n8|erin|\n");
        assertThat(TestDatabases.queryAll(db, "SELECT name FROM auth_group")).isEqualTo("editors|\n");
        assertThat(TestDatabases.queryAll(db, "SELECT id FROM chat_openaimodel")).isEqualTo("4|\n");
    }

    @Test
    void verifyChecksAFixtureAlone() {
        VerifyResult result = Verifier.standard().verify(fixture(PERMISSION, EDITORS, user("1", "carol", "[[\"editors\"]]", "[]"),
                model(1, "[1]")));

        assertThat(result.header().isDjangoFixture()).isTrue();
        assertThat(result.rows(Sections.USERS)).isEqualTo(1);
        assertThatThrownBy(() -> Verifier.standard().verify(fixture(PERMISSION, user("1", "carol", "[[\"ghosts\"]]", "[]"))))
                .isInstanceOf(InvalidBackupException.class)
                .hasMessage("[1].fields.groups[0]: group 'ghosts' is not among the fixture's groups");
    }
}
