package io.djangouserbackup.core.spi;

import static org.assertj.core.api.Assertions.assertThat;

import io.djangouserbackup.core.ImportMode;
import io.djangouserbackup.core.MariaDbServer;
import io.djangouserbackup.core.ServerDatabase;
import io.djangouserbackup.core.internal.MysqlDialect;
import io.djangouserbackup.core.internal.RunContext;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link OrderedRows} on MariaDB, whose driver streams one result per connection (issue 15): read in pages of keys,
 * a table gives exactly the rows and links one streamed query gives, whatever the page size, and all pages are the
 * snapshot the transaction began with while another connection writes.
 */
class OrderedRowsTest {
    private static final MysqlDialect DIALECT = new MysqlDialect(Duration.ofSeconds(5));
    private ServerDatabase db;

    @BeforeEach
    void users() throws SQLException {
        MariaDbServer.SERVER.require();
        db = MariaDbServer.SERVER.create("default");
        try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO auth_group (id, name) VALUES (1, 'b-group'), (2, 'a-group'), (3, 'Zeta')");
            // Ids with gaps (no multiple of 7) and two far ones, so pages end between owners that have links.
            for (int id = 1; id <= 30; id++) {
                if (id % 7 != 0) {
                    insertUser(statement, id);
                }
            }
            insertUser(statement, 100);
            insertUser(statement, 101);
            // Links written from the last owner down, so the table's own order is not the owners'.
            for (int id = 101; id >= 1; id--) {
                if (id % 7 == 0 || id > 30 && id < 100) {
                    continue;
                }
                if (id % 5 == 0) {
                    statement.execute("INSERT INTO auth_user_groups (user_id, group_id) VALUES (" + id + ", 3)");
                }
                if (id % 3 == 0) {
                    statement.execute("INSERT INTO auth_user_groups (user_id, group_id) VALUES (" + id + ", 1), (" + id + ", 2)");
                }
                if (id % 4 == 1) {
                    statement.execute("INSERT INTO auth_user_user_permissions (user_id, permission_id) SELECT " + id
                            + ", id FROM auth_permission ORDER BY id DESC LIMIT 2");
                }
            }
            // A link table without Django's unique index on the pair: a pair may be listed twice.
            statement.execute("CREATE TABLE friends (id int PRIMARY KEY AUTO_INCREMENT, owner_id int NOT NULL,"
                    + " user_id int NOT NULL, KEY (owner_id, user_id))");
            statement.execute("INSERT INTO friends (owner_id, user_id) VALUES (3, 5), (3, 2), (3, 5), (3, 5), (4, 1), (4, 1),"
                    + " (100, 101), (100, 3), (101, 101), (101, 101), (101, 100)");
            // A text key that the case-insensitive collation orders otherwise than code units do.
            for (String key : List.of("k-03", "K-01", "k-02", "a-9", "Z-0", "m-5", "M-6")) {
                statement.execute("INSERT INTO django_session (session_key, session_data, expire_date) VALUES ('" + key
                        + "', 'data " + key + "', '2030-01-01 00:00:00')");
            }
        }
    }

    private static void insertUser(Statement statement, int id) throws SQLException {
        statement.execute("INSERT INTO auth_user (id, password, last_login, is_superuser, username, first_name, last_name,"
                + " email, is_staff, is_active, date_joined) VALUES (" + id + ", 'pbkdf2_sha256$1$salt$hash" + id + "', "
                + (id % 2 == 0 ? "NULL" : "'2024-05-06 07:08:09.000010'") + ", 0, 'u" + id + "', 'Zoë', 'Müller', 'u" + id
                + "@example.com', 0, 1, '2020-01-02 03:04:05')");
    }

    @AfterEach
    void drop() {
        if (db != null) {
            db.drop();
        }
    }

    private Handle open() throws SQLException {
        Handle handle = Jdbi.open(db.connect());
        DIALECT.configure(handle);
        DIALECT.beginSnapshot(handle);
        return handle;
    }

    /** Every row as its values followed by its link lists. */
    private static List<List<Object>> users(MapperContext context, OrderedRows.Paging paging, Runnable afterFirstRow) {
        SchemaCatalog schema = context.schema();
        Table table = schema.require("auth_user");
        List<LinkTable> links = List.of(
                LinkTable.find(schema, "groups", "auth_user", "auth_group", Reference.groups()),
                LinkTable.find(schema, "user_permissions", "auth_user", "auth_permission", Reference.permissions()),
                LinkTable.of("friends", schema.require("friends"), "owner_id", "user_id", Reference.users()));
        List<List<Object>> rows = new ArrayList<>();
        OrderedRows.read(context, table, "id", links, paging, (values, linked) -> {
            List<Object> row = new ArrayList<>(Arrays.asList(values));
            row.addAll(linked);
            rows.add(row);
            if (rows.size() == 1) {
                afterFirstRow.run();
            }
        });
        return rows;
    }

    private static List<List<Object>> sessions(MapperContext context, OrderedRows.Paging paging) {
        List<List<Object>> rows = new ArrayList<>();
        OrderedRows.read(context, context.schema().require("django_session"), "session_key", List.of(), paging,
                (values, linked) -> rows.add(List.of(values)));
        return rows;
    }

    @Test
    void everyPageSizeGivesTheStreamedRows() throws SQLException {
        try (Handle handle = open()) {
            RunContext context = new RunContext(handle, DIALECT, null, ImportMode.MERGE);
            List<List<Object>> streamed = users(context, null, () -> { });
            assertThat(streamed).hasSize(28);
            assertThat(streamed.stream().map(r -> r.get(0)).toList()).isSorted().contains(1L, 30L, 100L, 101L).doesNotContain(7L);
            List<Object> user15 = streamed.stream().filter(r -> r.get(0).equals(15L)).findFirst().orElseThrow();
            int groups = user15.size() - 3;
            // Groups by name in code-unit order, as on every engine; no permissions (15 % 4 == 3), no friends.
            assertThat(user15.subList(groups, user15.size()))
                    .containsExactly(List.of("Zeta", "a-group", "b-group"), List.of(), List.of());
            List<Object> user101 = streamed.stream().filter(r -> r.get(0).equals(101L)).findFirst().orElseThrow();
            assertThat((List<?>) user101.get(groups + 1)).hasSize(2);
            assertThat(user101.get(groups + 2)).isEqualTo(List.of(100L, 101L, 101L));
            assertThat(streamed.get(2).get(groups + 2)).isEqualTo(List.of(2L, 5L, 5L, 5L));
            List<OrderedRows.Paging> pagings = new ArrayList<>();
            for (int rows : new int[] {1, 2, 3, 7, 27, 28, 29, OrderedRows.PAGE_SIZE}) {
                for (int links : new int[] {1, 2, 3, OrderedRows.PAGE_SIZE}) {
                    pagings.add(new OrderedRows.Paging(rows, Long.MAX_VALUE, links));
                }
            }
            // Pages cut by size: one row each, then a few.
            pagings.add(new OrderedRows.Paging(OrderedRows.PAGE_SIZE, 1, 2));
            pagings.add(new OrderedRows.Paging(OrderedRows.PAGE_SIZE, 1500, 2));
            pagings.add(OrderedRows.Paging.DEFAULT);
            for (OrderedRows.Paging paging : pagings) {
                assertThat(users(context, paging, () -> { })).as(paging.toString()).isEqualTo(streamed);
            }

            List<List<Object>> sessions = sessions(context, null);
            assertThat(sessions.stream().map(r -> r.get(0)).toList())
                    .containsExactly("a-9", "K-01", "k-02", "k-03", "m-5", "M-6", "Z-0");
            for (int rows : new int[] {1, 2, 3, 6, 7, 8}) {
                assertThat(sessions(context, new OrderedRows.Paging(rows, Long.MAX_VALUE, 1))).as("page size " + rows)
                        .isEqualTo(sessions);
            }
            assertThat(sessions(context, new OrderedRows.Paging(5, 1, 1))).isEqualTo(sessions);
            handle.rollback();
        }
    }

    @Test
    void pagesAreOneSnapshotWhileAnotherConnectionWrites() throws SQLException {
        List<List<Object>> before;
        try (Handle handle = open()) {
            before = users(new RunContext(handle, DIALECT, null, ImportMode.MERGE), null, () -> { });
            handle.rollback();
        }
        List<List<Object>> paged;
        try (Handle handle = open()) {
            paged = users(new RunContext(handle, DIALECT, null, ImportMode.MERGE), new OrderedRows.Paging(2, Long.MAX_VALUE, 1), () -> {
                // Committed by another connection once the first page was read: later pages must not see it.
                db.execute("DELETE FROM auth_user_user_permissions WHERE user_id = 101");
                db.execute("DELETE FROM friends WHERE owner_id = 101 OR user_id = 101");
                db.execute("DELETE FROM auth_user WHERE id = 101");
                insertUserNow(102);
                db.execute("INSERT INTO auth_user_groups (user_id, group_id) VALUES (102, 1), (29, 3)");
                db.execute("UPDATE auth_user SET first_name = 'changed' WHERE id = 29");
            });
            handle.rollback();
        }
        assertThat(paged).isEqualTo(before);
        try (Handle handle = open()) {
            List<List<Object>> after = users(new RunContext(handle, DIALECT, null, ImportMode.MERGE), OrderedRows.Paging.DEFAULT,
                    () -> { });
            handle.rollback();
            assertThat(after.stream().map(r -> r.get(0)).toList()).contains(102L).doesNotContain(101L);
            assertThat(after).isNotEqualTo(before);
        }
    }

    private void insertUserNow(int id) {
        try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
            insertUser(statement, id);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
