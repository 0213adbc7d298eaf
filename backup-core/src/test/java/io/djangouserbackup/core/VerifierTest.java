package io.djangouserbackup.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.djangouserbackup.model.Sections;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Checking a backup without a database: one message naming the place for each kind of bad input. */
class VerifierTest {
    @TempDir
    Path dir;

    private static final String HEADER = "{\"format_version\": 1, \"export_date\": \"2026-01-01T00:00:00Z\", ";
    private static final String PERMISSIONS = "\"permissions\": [{\"app_label\": \"auth\", \"model\": \"user\", \"codename\": \"view_user\", \"name\": \"Can view user\"}], ";
    private static final String GROUPS = "\"groups\": [{\"id\": 1, \"name\": \"editors\", \"permissions\": []}], ";

    private static String user(long id, String username, String extra) {
        return "{\"id\": " + id + ", \"password\": \"x\", \"last_login\": null, \"is_superuser\": false, \"username\": \""
                + username + "\", \"first_name\": \"\", \"last_name\": \"\", \"email\": \"\", \"is_staff\": false, "
                + "\"is_active\": true, \"date_joined\": \"2024-01-01 00:00:00\", \"groups\": [], \"user_permissions\": []" + extra + "}";
    }

    private static String document(String users) {
        return HEADER + PERMISSIONS + GROUPS + "\"users\": [" + users + "], \"openai_models\": []}";
    }

    /** Verifies the document, sealed with its digest when it is an object, so the check under test is reached. */
    private static VerifyResult verify(String document) {
        String sealed = document.strip().endsWith("}") ? BackupDigest.seal(document) : document;
        return Verifier.standard().verify(BackupSource.of(sealed.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aValidBackupIsCounted() {
        String second = applyChange(user(2, "b", "").replaceFirst("}$", ""), ", \"groups\": [\"editors\"]");
        VerifyResult result = verify(document(user(1, "a", "") + "," + second));

        assertThat(result.rows(Sections.USERS)).isEqualTo(2);
        assertThat(result.rows(Sections.GROUPS)).isEqualTo(1);
        assertThat(result.header().formatVersion()).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            username of the wrong type      | , "username": 5                                        | users[1].username: expected a string, got integer
            flag of the wrong type          | , "is_active": "yes"                                   | users[1].is_active: expected true or false, got string
            overlong username               | , "username": "%s"                                     | users[1].username: 151 characters, longer than column auth_user.username (varchar(150)) allows
            unknown group                   | , "groups": ["ghosts"]                                 | users[1].groups[0]: group 'ghosts' is not in the backup's groups
            group listed twice              | , "groups": ["editors", "editors"]                     | users[1].groups[1]: listed twice
            unknown permission              | , "user_permissions": [{"app_label": "auth", "model": "user", "codename": "fly"}] | users[1].user_permissions[0]: permission auth.user.fly is not in the backup's permissions
            malformed timestamp             | , "last_login": "yesterday"                            | users[1].last_login: expected a date and time like 2022-05-19 22:34:19.600861, got a string that is not
            nested value                    | , "email": {"a": 1}                                    | users[1].email: expected a single value, got object
            duplicate id                    | , "id": 1                                              | users[1].id: id 1 appears twice in users
            duplicate username              | , "username": "a"                                      | users[1].username: username 'a' appears twice in users
            """)
    void badUsersAreNamedByPlace(String what, String change, String message) {
        String patched = change.replace("%s", "x".repeat(151));
        String second = user(2, "b", "").replaceFirst("}$", "");
        String document = document(user(1, "a", "") + "," + applyChange(second, patched));

        assertThatThrownBy(() -> verify(document)).as(what).isInstanceOf(InvalidBackupException.class).hasMessage(message);
    }

    /** Replaces (or adds) the fields named in {@code change} in an unterminated JSON object. */
    private static String applyChange(String unterminated, String change) {
        String result = unterminated;
        java.util.regex.Matcher keys = java.util.regex.Pattern.compile("\"(\\w+)\": ").matcher(change);
        while (keys.find()) {
            result = result.replaceAll(", \"" + keys.group(1) + "\": (\\[\\]|null|false|true|\"[^\"]*\"|\\d+)", "");
            result = result.replaceAll("\\{\"" + keys.group(1) + "\": \\d+, ", "{");
        }
        return result + change + "}";
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            empty file                    | ''                                                 | the file is empty
            truncated file                | '{"format_version": 1, "export_'                   | the file ends before the document does (truncated?) at line 1, column 31
            format from the future        | {"format_version": 3, "export_date": "x"}           | format_version: format 3 is newer than this tool reads (up to 2); use a newer django-user-backup
            no format version             | {"export_date": "x", "users": []}                   | format_version: missing (it must come before the first section)
            not an object                 | 12                                                   | a backup is a JSON object, this file is not
            a list, read as a fixture     | [1, 2]                                               | [0]: expected a fixture entry {"model": ..., "fields": {...}}, got an integer
            section not an array          | {"format_version": 1, "export_date": "x", "users": {}} | users: expected an array of objects, got an object
            duplicate key                 | {"format_version": 1, "format_version": 1}          | format_version: appears twice in the document (line 1, column 23)
            missing sections              | {"format_version": 1, "export_date": "x"}           | permissions: missing section
            """)
    void badDocumentsAreNamedByPlace(String what, String document, String message) {
        String text = document.startsWith("'") ? document.substring(1, document.length() - 1) : document;

        assertThatThrownBy(() -> verify(text)).as(what).isInstanceOf(InvalidBackupException.class).hasMessage(message);
    }

    @Test
    void invalidUtf8IsRefused() {
        byte[] bytes = document(user(1, "a", "")).getBytes(StandardCharsets.UTF_8);
        int at = new String(bytes, StandardCharsets.ISO_8859_1).indexOf("\"a\"") + 1;
        bytes[at] = (byte) 0xC3;

        assertThatThrownBy(() -> Verifier.standard().verify(BackupSource.of(bytes)))
                .isInstanceOf(InvalidBackupException.class)
                .hasMessageStartingWith("users[0]: not valid JSON at line 1");
    }

    @Test
    void aFileThatDoesNotExistIsNamed() {
        Path missing = dir.resolve("nope.json");

        assertThatThrownBy(() -> Verifier.standard().verify(BackupSource.of(missing)))
                .isInstanceOf(InvalidBackupException.class)
                .hasMessage("no such file: " + missing);
    }

    @Test
    void aDamagedFileNeverEchoesAPasswordHash() {
        String hash = "pbkdf2_sha256$260000$salt$c2VjcmV0aGFzaHZhbHVl";
        String damaged = document(user(1, "a", "")).replace("\"password\": \"x\"", "\"password\": " + hash);

        assertThatThrownBy(() -> verify(damaged))
                .isInstanceOf(InvalidBackupException.class)
                .hasMessageStartingWith("users[0]: not valid JSON at line 1")
                .hasMessageNotContaining("260000")
                .hasMessageNotContaining("c2VjcmV0");
    }
}
