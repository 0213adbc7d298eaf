package io.djangouserbackup.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.djangouserbackup.core.internal.SafeFiles;
import io.djangouserbackup.model.Sections;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;

/**
 * Issue 14: the plan a prompt shows is exactly what the import does. For generated pairs of a target and a backup
 * (the target made from the backup's data and then changed here and there, or from other data altogether), the
 * plan's counts equal the dry run's, the import's summary, and what the import did to the rows as the tables show
 * it before and after: a backup row the target lacked was created, one whose contents (links included) the import
 * changed was updated, one it left exactly as it was was unchanged, and a target row gone afterwards was removed.
 */
class ExactPlan14Properties {
    private Path dir;
    private int counter;

    @BeforeProperty
    void createFolder() throws IOException {
        dir = Files.createTempDirectory("dub-exact-plan");
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
    Arbitrary<UserData> someUsers() {
        return UserDataArbitraries.userData().filter(data -> !data.users().isEmpty());
    }

    private Path databaseWith(UserData data) {
        Path db = TestDatabases.create(dir, "db" + (counter++) + ".sqlite3", TestDatabases.AUTH_USER);
        data.insertInto(db);
        return db;
    }

    /** The changes made to a target built from the backup's own data, each chosen by one bit of the mask. */
    private static final List<String> CHANGES = List.of(
            "UPDATE auth_user SET email = 'changed-' || id || '@example.com' WHERE id % 3 = 0",
            "DELETE FROM auth_user_groups WHERE user_id % 2 = 0",
            "DELETE FROM auth_user_groups WHERE user_id % 4 = 1; DELETE FROM auth_user_user_permissions WHERE user_id % 4 = 1;"
                    + " DELETE FROM chat_openaimodel_users WHERE user_id % 4 = 1; DELETE FROM auth_user WHERE id % 4 = 1",
            "INSERT INTO auth_user (id, password, last_login, is_superuser, username, last_name, email, is_staff, is_active,"
                    + " date_joined, first_name) VALUES (2000001, '!', NULL, 0, 'only in the target', '', '', 0, 1,"
                    + " '2022-05-19 22:34:19.600861', '')",
            "DELETE FROM chat_openaimodel_users WHERE openaimodel_id % 2 = 0",
            "UPDATE chat_openaimodel SET description = 'changed', max_tokens = max_tokens + 1 WHERE id % 2 = 1",
            "DELETE FROM auth_group_permissions WHERE group_id % 2 = 0",
            "INSERT INTO auth_group (id, name) VALUES (999999, 'a group only in the target')",
            "UPDATE auth_user SET is_staff = 1 - is_staff WHERE id % 5 = 2",
            "INSERT INTO auth_user_user_permissions (user_id, permission_id) SELECT u.id, p.id FROM auth_user u, auth_permission p"
                    + " WHERE u.id % 3 = 1 AND p.codename = 'view_session' AND NOT EXISTS (SELECT 1 FROM auth_user_user_permissions x"
                    + " WHERE x.user_id = u.id AND x.permission_id = p.id)");

    /** See the class comment. */
    @Property(tries = 50)
    void thePlanIsTheDryRunIsWhatTheImportDid(@ForAll("someUsers") UserData data, @ForAll("userData") UserData other,
                                              @ForAll @IntRange(min = 0, max = 3) int kind,
                                              @ForAll @IntRange(min = 0, max = 1023) int mask, @ForAll ImportMode mode) {
        // Three times in four the target is the backup's own data, changed by the mask; else other data.
        boolean related = kind > 0;
        byte[] backup = ExportImportProperties.export(databaseWith(data)).getBytes(StandardCharsets.UTF_8);
        Path target = databaseWith(related ? data : other);
        if (related) {
            for (int bit = 0; bit < CHANGES.size(); bit++) {
                if ((mask >> bit & 1) == 1) {
                    for (String statement : CHANGES.get(bit).split("; ")) {
                        TestDatabases.execute(target, statement);
                    }
                }
            }
        }
        Importer importer = Importer.of(DjangoDatabase.sqlite(target)).withMode(mode);
        ImportPlan plan;
        try {
            plan = importer.plan(BackupSource.of(backup));
        } catch (BackupException refused) {
            // A merge over another user with the same id: the dry run and the import refuse it the same way.
            assertThatThrownBy(() -> importer.report(BackupSource.of(backup))).isInstanceOf(refused.getClass());
            assertThatThrownBy(() -> importer.importFrom(BackupSource.of(backup))).isInstanceOf(refused.getClass());
            Statistics.label("plan").collect("refused");
            return;
        }
        ImportReport report = importer.report(BackupSource.of(backup));
        SectionCounts users = plan.section(Sections.USERS);
        Statistics.label("plan").collect(users.rows() == 0 ? "no users" : users.updated() > 0 && users.skipped() > 0 ? "users updated and unchanged"
                : users.updated() > 0 ? "users updated" : users.skipped() > 0 ? "users unchanged" : "users created only");
        Statistics.label("links").collect(plan.section(Sections.OPENAI_MODELS).updated() > 0 ? "a model updated" : "no model updated");
        Map<String, Map<String, String>> before = rows(target, mode);

        ImportResult result = importer.importFrom(BackupSource.of(backup));

        Map<String, Map<String, String>> after = rows(target, mode);
        assertThat(report.plan().sections()).isEqualTo(plan.sections());
        assertThat(result.sections()).isEqualTo(plan.sections());
        for (String section : List.of(Sections.USERS, Sections.GROUPS, Sections.OPENAI_MODELS)) {
            SectionCounts counts = plan.section(section);
            assertThat(new SectionCounts(counts.rows(), report.count(section, RowChange.Change.CREATED),
                    report.count(section, RowChange.Change.UPDATED), report.count(section, RowChange.Change.UNCHANGED),
                    report.count(section, RowChange.Change.REMOVED))).as(section).isEqualTo(counts);
        }
        for (String section : List.of(Sections.USERS, Sections.GROUPS, Sections.OPENAI_MODELS, Sections.PERMISSIONS)) {
            assertThat(plan.section(section)).as(section).isEqualTo(done(section, before.get(section), after.get(section),
                    plan.section(section).rows()));
        }
    }

    /**
     * The same for a selective import ({@code import --user}, issue 18) into a target made from the backup's data and
     * changed by the mask: the plan, the dry run and the summary agree with what the import did, an OpenAI model
     * whose selected users' assignments change included (it used to be summed up as unchanged).
     */
    @Property(tries = 40)
    void aSelectiveImportsPlanIsTheDryRunIsWhatItDid(@ForAll("someUsers") UserData data,
                                                     @ForAll @IntRange(min = 0, max = 1023) int mask,
                                                     @ForAll @IntRange(min = 1, max = 255) int chosen) {
        byte[] backup = ExportImportProperties.export(databaseWith(data)).getBytes(StandardCharsets.UTF_8);
        Path target = databaseWith(data);
        for (int bit = 0; bit < CHANGES.size(); bit++) {
            if ((mask >> bit & 1) == 1) {
                for (String statement : CHANGES.get(bit).split("; ")) {
                    TestDatabases.execute(target, statement);
                }
            }
        }
        List<String> selected = new java.util.ArrayList<>();
        for (int i = 0; i < data.users().size(); i++) {
            if ((chosen >> (i % 8) & 1) == 1) {
                selected.add(data.users().get(i).username());
            }
        }
        Assume.that(!selected.isEmpty());
        Importer importer = Importer.of(DjangoDatabase.sqlite(target)).withUsers(selected);
        ImportPlan plan;
        try {
            plan = importer.plan(BackupSource.of(backup));
        } catch (BackupException refused) {
            assertThatThrownBy(() -> importer.importFrom(BackupSource.of(backup))).isInstanceOf(refused.getClass());
            Statistics.label("plan").collect("refused");
            return;
        }
        ImportReport report = importer.report(BackupSource.of(backup));
        Map<String, Map<String, String>> before = rows(target, ImportMode.MERGE);

        ImportResult result = importer.importFrom(BackupSource.of(backup));

        Map<String, Map<String, String>> after = rows(target, ImportMode.MERGE);
        Statistics.label("plan").collect(plan.section(Sections.OPENAI_MODELS).updated() > 0 ? "a model updated"
                : plan.section(Sections.USERS).updated() > 0 ? "a user updated" : "no update");
        assertThat(report.plan().sections()).isEqualTo(plan.sections());
        assertThat(result.sections()).isEqualTo(plan.sections());
        for (String section : List.of(Sections.USERS, Sections.GROUPS, Sections.OPENAI_MODELS, Sections.PERMISSIONS)) {
            assertThat(plan.section(section)).as(section).isEqualTo(done(section, before.get(section), after.get(section),
                    plan.section(section).rows()));
        }
    }

    /**
     * What the import did to a section, from its rows before and after: each key of the backup is in the table
     * afterwards (the backup's rows are the rows afterwards that the import touched, plus those it left equal).
     */
    private static SectionCounts done(String section, Map<String, String> before, Map<String, String> after, long rows) {
        long created = after.keySet().stream().filter(k -> !before.containsKey(k)).count();
        long removed = before.keySet().stream().filter(k -> !after.containsKey(k)).count();
        long updated = after.keySet().stream().filter(k -> before.containsKey(k) && !before.get(k).equals(after.get(k))).count();
        // The rows afterwards that the backup does not hold were left as they were (a merge keeps them).
        long unchanged = rows - created - updated;
        return new SectionCounts(rows, created, updated, unchanged, removed);
    }

    /**
     * Each section's rows as the tables hold them, by key: every column, and links by what they point at (a group by
     * name, a permission by natural key), so that a group's new id in a replace is not a change of its members.
     */
    private static Map<String, Map<String, String>> rows(Path db, ImportMode mode) {
        String permission = "(SELECT ct.app_label || '.' || ct.model || '.' || p.codename FROM auth_permission p"
                + " JOIN django_content_type ct ON ct.id = p.content_type_id WHERE p.id = %s)";
        Map<String, Map<String, String>> rows = new HashMap<>();
        rows.put(Sections.USERS, query(db, "SELECT u.id, u.*, (SELECT group_concat(name, char(31)) FROM (SELECT g.name FROM"
                + " auth_user_groups ug JOIN auth_group g ON g.id = ug.group_id WHERE ug.user_id = u.id ORDER BY g.name)),"
                + " (SELECT group_concat(k, char(31)) FROM (SELECT " + permission.formatted("up.permission_id") + " AS k FROM"
                + " auth_user_user_permissions up WHERE up.user_id = u.id ORDER BY k)) FROM auth_user u"));
        // A merge matches groups by name; a replace keeps a group only under the backup's id and name.
        rows.put(Sections.GROUPS, query(db, "SELECT " + (mode == ImportMode.MERGE ? "g.name" : "g.id || char(31) || g.name")
                + ", g.*, (SELECT group_concat(k, char(31)) FROM (SELECT " + permission.formatted("gp.permission_id") + " AS k"
                + " FROM auth_group_permissions gp WHERE gp.group_id = g.id ORDER BY k)) FROM auth_group g"));
        rows.put(Sections.OPENAI_MODELS, query(db, "SELECT m.id, m.*, (SELECT group_concat(user_id, char(31)) FROM (SELECT"
                + " user_id FROM chat_openaimodel_users WHERE openaimodel_id = m.id ORDER BY user_id)) FROM chat_openaimodel m"));
        rows.put(Sections.PERMISSIONS, query(db, "SELECT " + permission.formatted("p.id") + ", p.name FROM auth_permission p"));
        return rows;
    }

    /** The first column to the others, as text. */
    private static Map<String, String> query(Path db, String sql) {
        Map<String, String> rows = new HashMap<>();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + db);
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(sql)) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 2; i <= columns; i++) {
                    row.append(rs.getString(i)).append('\u001f');
                }
                rows.put(rs.getString(1), row.toString());
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return rows;
    }
}
