package io.djangouserbackup.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.djangouserbackup.model.Sections;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Django fixtures of a project this repository does not contain, as {@code manage.py dumpdata auth contenttypes
 * people orders --natural-foreign --natural-primary} writes them: a custom user model {@code people.member}
 * ({@code AbstractUser} subclass) and a model {@code orders.order} whose {@code Meta.db_table} is
 * {@code shop_order_book}.
 */
class StrangerFixtureTest {
    @TempDir
    Path dir;

    private static final String MEMBER = "{\"model\": \"people.member\", \"fields\": {\"password\": \"pbkdf2_sha256$260000$s$h\","
            + " \"last_login\": null, \"is_superuser\": false, \"username\": \"alice\", \"first_name\": \"\", \"last_name\": \"\","
            + " \"email\": \"\", \"is_staff\": false, \"is_active\": true, \"date_joined\": \"2024-01-01T00:00:00Z\","
            + " \"groups\": [[\"staff\"]], \"user_permissions\": []}}";
    private static final String GROUP = "{\"model\": \"auth.group\", \"fields\": {\"name\": \"staff\", \"permissions\": []}}";
    private static final String ORDER = "{\"model\": \"orders.order\", \"pk\": 1, \"fields\": {\"customer\": [\"alice\"],"
            + " \"total\": \"1.00\"}}";

    private static BackupSource fixture(String... entries) {
        return BackupSource.of(("[" + String.join(", ", entries) + "]").getBytes(StandardCharsets.UTF_8));
    }

    /** Before, verify (which has no database to learn AUTH_USER_MODEL from) refused every custom user model's fixture. */
    @Test
    void verifyAcceptsAFixtureOfACustomUserModel() {
        VerifyResult result = Verifier.standard().verify(fixture(GROUP, MEMBER));

        assertThat(result.header().isDjangoFixture()).isTrue();
        assertThat(result.rows(Sections.USERS)).isEqualTo(1);
        assertThat(result.rows(Sections.GROUPS)).isEqualTo(1);
    }

    @Test
    void verifyStillRefusesAModelThatIsNeitherAUserModelNorKnown() {
        assertThatThrownBy(() -> Verifier.standard().verify(fixture(GROUP, MEMBER, ORDER)))
                .isInstanceOf(InvalidBackupException.class)
                .hasMessageStartingWith("[2].model: 'orders.order' is not a model this tool restores (only people.member,");
    }

    @Test
    void verifyRefusesASecondUserModel() {
        String other = MEMBER.replace("people.member", "accounts.user");

        assertThatThrownBy(() -> Verifier.standard().verify(fixture(GROUP, MEMBER, other)))
                .isInstanceOf(InvalidBackupException.class)
                .hasMessageStartingWith("[2].model: 'accounts.user' is not a model this tool restores (only people.member,");
    }

    /**
     * A model whose table is not {@code app_label_model}: the refusal said {@code import --table orders_order}, a table
     * the target does not have; it says why instead.
     */
    @Test
    void aModelWithItsOwnDbTableIsRefusedWithoutSuggestingATableTheTargetLacks() {
        Path target = TestDatabases.create(dir, "target.sqlite3", TestDatabases.AUTH_USER);
        TestDatabases.execute(target, "CREATE TABLE shop_order_book (id integer NOT NULL PRIMARY KEY AUTOINCREMENT,"
                + " total decimal NOT NULL, customer_id integer NOT NULL REFERENCES auth_user (id))");
        TestDatabases.execute(target, "INSERT INTO django_content_type (app_label, model) VALUES ('orders', 'order')");
        String before = TestDatabases.sha256(target);

        assertThatThrownBy(() -> Importer.of(DjangoDatabase.sqlite(target).withAllUserTables(true))
                .importFrom(fixture(GROUP, MEMBER.replace("people.member", "auth.user"), ORDER)))
                .isInstanceOf(InvalidBackupException.class)
                .hasMessage("[2].model: 'orders.order' is not a model this tool restores (only auth.user, auth.group,"
                        + " auth.permission, contenttypes.contenttype, the OpenAI models and the tables named with --table or"
                        + " --all-user-tables), and nothing is restored in part; dump only those: the target database has no"
                        + " table orders_order, and a model whose table has another name (Meta.db_table) cannot be restored"
                        + " from a Django fixture");
        assertThat(TestDatabases.sha256(target)).isEqualTo(before);
    }

    /**
     * A project without an OpenAI model table: a replace from its fixture was refused because the fixture "holds no
     * chat.openaimodel entries", though the target has none to remove.
     */
    @Test
    void aReplaceNeedsNoEntriesOfAKindTheTargetHoldsNoRowsOf() {
        Path noModelTable = TestDatabases.create(dir, "no-models.sqlite3", TestDatabases.AUTH_USER);
        TestDatabases.execute(noModelTable, "DROP TABLE chat_openaimodel_users");
        TestDatabases.execute(noModelTable, "DROP TABLE chat_openaimodel");
        Path emptyModelTable = TestDatabases.create(dir, "empty-models.sqlite3", TestDatabases.AUTH_USER);
        String user = MEMBER.replace("people.member", "auth.user");

        for (Path target : java.util.List.of(noModelTable, emptyModelTable)) {
            ImportResult result = Importer.of(DjangoDatabase.sqlite(target)).withMode(ImportMode.REPLACE)
                    .importFrom(fixture(GROUP, user));

            assertThat(result.section(Sections.USERS).created()).isEqualTo(1);
            assertThat(TestDatabases.queryAll(target, "SELECT u.username, g.name FROM auth_user u JOIN auth_user_groups ug"
                    + " ON ug.user_id = u.id JOIN auth_group g ON g.id = ug.group_id")).contains("alice|staff");
        }
    }

    /**
     * A {@code JSONField} on the user model, as Django 3.2 migrates it on SQLite ({@code text} with a
     * {@code JSON_VALID} check) and {@code dumpdata} writes it (the JSON value itself). Before, the import refused
     * Django's own fixture ({@code expected a single value for column prefs, got an object}), and so did verify.
     */
    @Test
    void aJsonFieldOfDjangosOwnFixtureIsRestoredAsDjangoStoresIt() {
        Path target = TestDatabases.create(dir, "target.sqlite3", TestDatabases.AUTH_USER);
        TestDatabases.execute(target, "ALTER TABLE auth_user ADD COLUMN prefs text NOT NULL DEFAULT '{}'"
                + " CHECK ((JSON_VALID(\"prefs\") OR \"prefs\" IS NULL))");
        String user = MEMBER.replace("people.member", "auth.user").replace("\"groups\"",
                "\"prefs\": {\"a\": [1, 2.5, {\"b\": null}], \"\u00e9\": \"x\"}, \"groups\"");
        String list = user.replace("\"alice\"", "\"bob\"").replace("{\"a\": [1, 2.5, {\"b\": null}], \"\u00e9\": \"x\"}",
                "[\"just\", 1]");

        assertThat(Verifier.standard().verify(fixture(GROUP, user, list)).rows(Sections.USERS)).isEqualTo(2);
        Importer.of(DjangoDatabase.sqlite(target)).importFrom(fixture(GROUP, user, list));

        assertThat(TestDatabases.queryAll(target, "SELECT username, prefs FROM auth_user ORDER BY username"))
                .isEqualTo(TestDatabases.queryAll(target, "SELECT 'alice', '{\"a\": [1, 2.5, {\"b\": null}], \"\\u00e9\": \"x\"}'"
                        + " UNION ALL SELECT 'bob', '[\"just\", 1]'"));
    }
}
