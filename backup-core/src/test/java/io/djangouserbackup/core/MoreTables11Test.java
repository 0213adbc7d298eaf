package io.djangouserbackup.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.djangouserbackup.model.Sections;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 11: tables tied to users, backed up with --table / --all-user-tables and restored from the backup alone. */
class MoreTables11Test {
    @TempDir
    Path dir;

    static String export(DjangoDatabase db) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Exporter.of(db).exportTo(out);
        return out.toString(StandardCharsets.UTF_8);
    }

    static ImportResult importInto(Path db, String document, ImportMode mode) {
        return Importer.of(DjangoDatabase.sqlite(db)).withMode(mode)
                .importFrom(BackupSource.of(document.getBytes(StandardCharsets.UTF_8)));
    }

    private Path source() {
        return MoreTables.source(dir, "source.sqlite3", TestDatabases.AUTH_USER);
    }

    private Path target(String name) {
        // Other content-type and permission ids than the source's.
        Path db = TestDatabases.create(dir, name, TestDatabases.AUTH_USER_EXTRA_APPS);
        MoreTables.create(db);
        return db;
    }

    @Test
    void allUserTablesIncludesEveryTableTiedToUsersButLogsAndSessions() throws Exception {
        JsonNode backup = new ObjectMapper().readTree(export(DjangoDatabase.sqlite(source()).withAllUserTables(true)));

        List<String> sections = new java.util.ArrayList<>();
        backup.fieldNames().forEachRemaining(sections::add);
        assertThat(sections).contains("authtoken_token", "account_emailaddress", "account_emailconfirmation",
                "otp_totp_totpdevice", "guardian_userobjectpermission", "guardian_groupobjectpermission", "extras_profile",
                "extras_project").doesNotContain("django_session", "django_admin_log", "extras_project_members",
                "auth_user_groups", "chat_openaimodel_users");
        assertThat(sections.indexOf("account_emailconfirmation")).isGreaterThan(sections.indexOf("account_emailaddress"));
        assertThat(sections.indexOf("authtoken_token")).isGreaterThan(sections.indexOf(Sections.USERS));
        JsonNode permission = backup.get("guardian_userobjectpermission").get(0);
        assertThat(permission.get("content_type_id").toString()).isEqualTo("{\"app_label\":\"chat\",\"model\":\"openaimodel\"}");
        assertThat(permission.get("permission_id").toString())
                .isEqualTo("{\"app_label\":\"chat\",\"model\":\"openaimodel\",\"codename\":\"change_openaimodel\"}");
        assertThat(backup.get("extras_project").get(0).get("members").toString()).isEqualTo("[1,2]");
        assertThat(backup.get("authtoken_token").get(0).get("key").asText()).isEqualTo("9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b");
    }

    @Test
    void aReferenceToATableLeftOutIsRefusedNamingTheOption() {
        DjangoDatabase db = DjangoDatabase.sqlite(source()).withTables(List.of("account_emailconfirmation"));

        assertThatThrownBy(() -> export(db))
                .isInstanceOf(IncompatibleDatabaseException.class)
                .hasMessage("table account_emailconfirmation: column email_address_id refers to table account_emailaddress,"
                        + " which is not in the backup; add --table account_emailaddress (or use --all-user-tables)");
    }

    @Test
    void aBuiltInTableCannotBeIncludedTwice() {
        assertThatThrownBy(() -> export(DjangoDatabase.sqlite(source()).withTables(List.of("auth_user_groups"))))
                .isInstanceOf(IncompatibleDatabaseException.class)
                .hasMessageContaining("auth_user_groups: this table is backed up already");
    }
}
