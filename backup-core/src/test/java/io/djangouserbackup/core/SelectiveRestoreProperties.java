package io.djangouserbackup.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.djangouserbackup.core.internal.SafeFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;

/** Issue 18: restoring or exporting some users, over generated user data and random selections. */
class SelectiveRestoreProperties {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);

    private Path dir;
    private int counter;

    @BeforeProperty
    void createFolder() throws IOException {
        dir = Files.createTempDirectory("dub-selective");
    }

    @AfterProperty
    void deleteFolder() throws IOException {
        SafeFiles.deleteTree(dir);
    }

    @Provide
    Arbitrary<UserData> userData() {
        return UserDataArbitraries.userData();
    }

    private Path freshDatabase() {
        return TestDatabases.create(dir, "db" + (counter++) + ".sqlite3", TestDatabases.AUTH_USER);
    }

    private Path databaseWith(UserData data) {
        Path db = freshDatabase();
        data.insertInto(db);
        return db;
    }

    private static byte[] export(Exporter exporter) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        exporter.withClock(CLOCK).exportTo(out);
        return out.toByteArray();
    }

    private static String exportAll(Path db) {
        return new String(export(Exporter.of(DjangoDatabase.sqlite(db))), StandardCharsets.UTF_8);
    }

    /** The users whose bit in the mask is set (bits taken modulo 16), or the first one when none is. */
    private static List<UserData.User> selection(UserData data, int mask) {
        List<UserData.User> selected = new ArrayList<>();
        for (int i = 0; i < data.users().size(); i++) {
            if ((mask >> (i % 16) & 1) == 1) {
                selected.add(data.users().get(i));
            }
        }
        return selected.isEmpty() ? List.of(data.users().get(0)) : selected;
    }

    private static List<String> usernames(List<UserData.User> users) {
        return users.stream().map(UserData.User::username).toList();
    }

    /**
     * A selective import changes no row outside the selection's closure: after the selected users were deleted (with
     * their links), a group removed, and every user's e-mail and every model's name changed, restoring the selection
     * leaves every other user, link, group and model exactly as it was; only the selected users' rows and links, and
     * the groups and models they need that were missing, are written. The selected users come back as the backup has
     * them.
     */
    @Property(tries = 40)
    void selectiveImportChangesNoRowOutsideTheSelectionsClosure(@ForAll("userData") UserData data,
                                                                 @ForAll @IntRange(min = 0, max = 65535) int mask) {
        Assume.that(!data.users().isEmpty());
        Path db = databaseWith(data);
        byte[] backup = export(Exporter.of(DjangoDatabase.sqlite(db)));
        List<UserData.User> selected = selection(data, mask);
        String ids = selected.stream().map(u -> Long.toString(u.id())).collect(Collectors.joining(", "));
        for (String table : List.of("auth_user_groups", "auth_user_user_permissions", "chat_openaimodel_users")) {
            TestDatabases.execute(db, "DELETE FROM " + table + " WHERE user_id IN (" + ids + ")");
        }
        TestDatabases.execute(db, "DELETE FROM auth_user WHERE id IN (" + ids + ")");
        if (!data.groups().isEmpty()) {
            long group = data.groups().get(0).id();
            TestDatabases.execute(db, "DELETE FROM auth_user_groups WHERE group_id = ?", group);
            TestDatabases.execute(db, "DELETE FROM auth_group_permissions WHERE group_id = ?", group);
            TestDatabases.execute(db, "DELETE FROM auth_group WHERE id = ?", group);
        }
        TestDatabases.execute(db, "UPDATE auth_user SET email = 'changed' || id || '@example.com'");
        TestDatabases.execute(db, "UPDATE chat_openaimodel SET name = 'renamed-' || id");
        String groupsBefore = groupIds(db);
        String outsideBefore = outside(db, ids, groupsBefore);

        Importer.of(DjangoDatabase.sqlite(db)).withUsers(usernames(selected)).importFrom(BackupSource.of(backup));

        // Groups and models that were missing are the closure's; those there before must be untouched.
        assertThat(outside(db, ids, groupsBefore)).isEqualTo(outsideBefore);
        String restored = exportAll(db);
        String original = new String(backup, StandardCharsets.UTF_8);
        for (UserData.User user : selected) {
            assertThat(userLine(restored, user.id())).isEqualTo(userLine(original, user.id()));
        }
    }

    /** The row of a user in a document (one row a line), with its groups and permissions. */
    private static String userLine(String document, long id) {
        return document.lines().filter(l -> l.startsWith("    {\"id\":" + id + ",\"password\"")).findFirst().orElse(null);
    }

    /** The ids of the target's groups, as an SQL list. */
    private static String groupIds(Path db) {
        String ids = TestDatabases.queryAll(db, "SELECT id FROM auth_group ORDER BY id").lines()
                .map(l -> l.replace("|", "")).collect(Collectors.joining(", "));
        return ids.isEmpty() ? "-1" : ids;
    }

    /**
     * Every row that is not the selected users' own nor one created for them: the other users and their links, the
     * groups there before (with their permissions), the models there before (all renamed), the permissions.
     */
    private static String outside(Path db, String selectedIds, String groupIds) {
        StringBuilder dump = new StringBuilder();
        for (String sql : List.of(
                "SELECT * FROM auth_user WHERE id NOT IN (" + selectedIds + ") ORDER BY id",
                "SELECT * FROM auth_user_groups WHERE user_id NOT IN (" + selectedIds + ") ORDER BY id",
                "SELECT * FROM auth_user_user_permissions WHERE user_id NOT IN (" + selectedIds + ") ORDER BY id",
                "SELECT * FROM chat_openaimodel_users WHERE user_id NOT IN (" + selectedIds + ") ORDER BY id",
                "SELECT * FROM auth_permission ORDER BY id",
                "SELECT * FROM auth_group WHERE id IN (" + groupIds + ") ORDER BY id",
                "SELECT * FROM auth_group_permissions WHERE group_id IN (" + groupIds + ") ORDER BY id",
                "SELECT * FROM chat_openaimodel WHERE name LIKE 'renamed-%' ORDER BY id")) {
            dump.append(TestDatabases.queryAll(db, sql)).append('\n');
        }
        return dump.toString();
    }

    /**
     * A selective export, imported whole into an empty database, gives what a selective import of the full backup
     * into an empty database gives: the export and the import select the same rows. The partial backup restores on
     * its own.
     */
    @Property(tries = 40)
    void selectiveExportThenFullImportEqualsTheSelectionOfAFullExport(@ForAll("userData") UserData data,
                                                                       @ForAll @IntRange(min = 0, max = 65535) int mask) {
        Assume.that(!data.users().isEmpty());
        Path db = databaseWith(data);
        List<String> selected = usernames(selection(data, mask));
        byte[] partial = export(Exporter.of(DjangoDatabase.sqlite(db)).withUsers(selected));
        byte[] full = export(Exporter.of(DjangoDatabase.sqlite(db)));

        Path fromPartial = freshDatabase();
        Importer.of(DjangoDatabase.sqlite(fromPartial)).importFrom(BackupSource.of(partial));
        Path fromSelection = freshDatabase();
        Importer.of(DjangoDatabase.sqlite(fromSelection)).withUsers(selected).importFrom(BackupSource.of(full));

        assertThat(exportAll(fromPartial)).isEqualTo(exportAll(fromSelection));
        assertThat(TestDatabases.queryLong(fromPartial, "SELECT count(*) FROM auth_user")).isEqualTo(selected.size());
    }
}
