package io.djangouserbackup.core;

import java.nio.file.Path;
import java.util.List;

/**
 * Generated user data for property tests, written into a real Django database with plain SQL, the way Django
 * stores it in SQLite.
 */
record UserData(List<User> users, List<Group> groups, List<Model> models) {

    record User(long id, String username, String password, String email, String firstName, String lastName,
                String lastLogin, String dateJoined, boolean active, boolean staff, boolean superuser,
                List<String> groups, List<String> permissions) {
    }

    record Group(long id, String name, List<String> permissions) {
    }

    record Model(long id, String name, String description, long maxTokens, Object temperature, boolean enabled,
                 String created, List<Long> users) {
    }

    /** Codenames that a freshly migrated database of the test project has. */
    static final List<String> CODENAMES = List.of("add_user", "change_user", "delete_user", "view_user",
            "add_group", "view_group", "add_openaimodel", "change_openaimodel", "view_openaimodel", "view_logentry",
            "view_permission", "change_session");

    /** Writes the data into an {@code auth_user} database. */
    void insertInto(Path db) {
        for (Group group : groups) {
            TestDatabases.execute(db, "INSERT INTO auth_group (id, name) VALUES (?, ?)", group.id(), group.name());
            for (String codename : group.permissions()) {
                TestDatabases.grantGroup(db, group.name(), codename);
            }
        }
        for (User user : users) {
            TestDatabases.execute(db, "INSERT INTO auth_user (id, password, last_login, is_superuser, username, last_name,"
                            + " email, is_staff, is_active, date_joined, first_name) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    user.id(), user.password(), user.lastLogin(), user.superuser() ? 1 : 0, user.username(), user.lastName(),
                    user.email(), user.staff() ? 1 : 0, user.active() ? 1 : 0, user.dateJoined(), user.firstName());
            for (String group : user.groups()) {
                TestDatabases.execute(db, "INSERT INTO auth_user_groups (user_id, group_id) SELECT ?, id FROM auth_group WHERE name = ?",
                        user.id(), group);
            }
            for (String codename : user.permissions()) {
                TestDatabases.grant(db, user.id(), codename);
            }
        }
        for (Model model : models) {
            TestDatabases.execute(db, "INSERT INTO chat_openaimodel (id, name, description, max_tokens, temperature, is_enabled, created)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?)", model.id(), model.name(), model.description(), model.maxTokens(),
                    model.temperature(), model.enabled() ? 1 : 0, model.created());
            for (long user : model.users()) {
                TestDatabases.execute(db, "INSERT INTO chat_openaimodel_users (openaimodel_id, user_id) VALUES (?, ?)", model.id(), user);
            }
        }
    }
}
