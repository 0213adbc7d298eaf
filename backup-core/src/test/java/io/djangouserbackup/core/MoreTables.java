package io.djangouserbackup.core;

import java.nio.file.Path;

/**
 * Tables of third-party apps tied to users, as Django 3.2's {@code migrate} creates them in SQLite (DRF's
 * authtoken, allauth's e-mail addresses and confirmations, django-otp's TOTP devices, guardian's object
 * permissions), plus a profile whose primary key is a one-to-one to the user and a project with a second
 * many-to-many to users, a self-reference and a unique name. The interop suite runs the real apps.
 */
final class MoreTables {
    private MoreTables() {
    }

    static final String[] DDL = {
        "CREATE TABLE \"authtoken_token\" (\"key\" varchar(40) NOT NULL PRIMARY KEY, \"created\" datetime NOT NULL,"
                + " \"user_id\" integer NOT NULL UNIQUE REFERENCES \"auth_user\" (\"id\") DEFERRABLE INITIALLY DEFERRED)",
        "CREATE TABLE \"account_emailaddress\" (\"id\" integer NOT NULL PRIMARY KEY AUTOINCREMENT, \"email\" varchar(254) NOT NULL"
                + " UNIQUE, \"verified\" bool NOT NULL, \"primary\" bool NOT NULL, \"user_id\" integer NOT NULL REFERENCES"
                + " \"auth_user\" (\"id\") DEFERRABLE INITIALLY DEFERRED)",
        "CREATE TABLE \"account_emailconfirmation\" (\"id\" integer NOT NULL PRIMARY KEY AUTOINCREMENT, \"created\" datetime NOT NULL,"
                + " \"sent\" datetime NULL, \"key\" varchar(64) NOT NULL UNIQUE, \"email_address_id\" integer NOT NULL REFERENCES"
                + " \"account_emailaddress\" (\"id\") DEFERRABLE INITIALLY DEFERRED)",
        "CREATE TABLE \"otp_totp_totpdevice\" (\"id\" integer NOT NULL PRIMARY KEY AUTOINCREMENT, \"name\" varchar(64) NOT NULL,"
                + " \"confirmed\" bool NOT NULL, \"key\" varchar(80) NOT NULL, \"step\" smallint unsigned NOT NULL CHECK (\"step\" >= 0),"
                + " \"t0\" bigint NOT NULL, \"digits\" smallint unsigned NOT NULL CHECK (\"digits\" >= 0), \"tolerance\" smallint"
                + " unsigned NOT NULL CHECK (\"tolerance\" >= 0), \"drift\" smallint NOT NULL, \"last_t\" bigint NOT NULL,"
                + " \"user_id\" integer NOT NULL REFERENCES \"auth_user\" (\"id\") DEFERRABLE INITIALLY DEFERRED)",
        "CREATE TABLE \"guardian_userobjectpermission\" (\"id\" integer NOT NULL PRIMARY KEY AUTOINCREMENT, \"object_pk\" varchar(255)"
                + " NOT NULL, \"content_type_id\" integer NOT NULL REFERENCES \"django_content_type\" (\"id\") DEFERRABLE INITIALLY"
                + " DEFERRED, \"permission_id\" integer NOT NULL REFERENCES \"auth_permission\" (\"id\") DEFERRABLE INITIALLY DEFERRED,"
                + " \"user_id\" integer NOT NULL REFERENCES \"auth_user\" (\"id\") DEFERRABLE INITIALLY DEFERRED)",
        "CREATE UNIQUE INDEX \"guardian_userobjectpermission_user_id_permission_id_object_pk_uniq\" ON"
                + " \"guardian_userobjectpermission\" (\"user_id\", \"permission_id\", \"object_pk\")",
        "CREATE TABLE \"guardian_groupobjectpermission\" (\"id\" integer NOT NULL PRIMARY KEY AUTOINCREMENT, \"object_pk\" varchar(255)"
                + " NOT NULL, \"content_type_id\" integer NOT NULL REFERENCES \"django_content_type\" (\"id\") DEFERRABLE INITIALLY"
                + " DEFERRED, \"group_id\" integer NOT NULL REFERENCES \"auth_group\" (\"id\") DEFERRABLE INITIALLY DEFERRED,"
                + " \"permission_id\" integer NOT NULL REFERENCES \"auth_permission\" (\"id\") DEFERRABLE INITIALLY DEFERRED)",
        "CREATE TABLE \"extras_profile\" (\"user_id\" integer NOT NULL PRIMARY KEY REFERENCES \"auth_user\" (\"id\") DEFERRABLE"
                + " INITIALLY DEFERRED, \"bio\" text NOT NULL, \"mentor_id\" integer NULL REFERENCES \"extras_profile\" (\"user_id\")"
                + " DEFERRABLE INITIALLY DEFERRED)",
        "CREATE TABLE \"extras_project\" (\"id\" integer NOT NULL PRIMARY KEY AUTOINCREMENT, \"name\" varchar(100) NOT NULL UNIQUE,"
                + " \"owner_id\" integer NULL REFERENCES \"auth_user\" (\"id\") DEFERRABLE INITIALLY DEFERRED)",
        "CREATE TABLE \"extras_project_members\" (\"id\" integer NOT NULL PRIMARY KEY AUTOINCREMENT, \"project_id\" integer NOT NULL"
                + " REFERENCES \"extras_project\" (\"id\") DEFERRABLE INITIALLY DEFERRED, \"user_id\" integer NOT NULL REFERENCES"
                + " \"auth_user\" (\"id\") DEFERRABLE INITIALLY DEFERRED)",
        "CREATE UNIQUE INDEX \"extras_project_members_project_id_user_id_uniq\" ON \"extras_project_members\" (\"project_id\", \"user_id\")",
        "CREATE TABLE \"django_session\" (\"session_key\" varchar(40) NOT NULL PRIMARY KEY, \"session_data\" text NOT NULL,"
                + " \"expire_date\" datetime NOT NULL)",
    };

    /** Creates the tables in a migrated Django database. */
    static void create(Path db) {
        for (String statement : DDL) {
            if (statement.contains("\"django_session\"") && TestDatabases.queryLong(db,
                    "SELECT count(*) FROM sqlite_master WHERE name = 'django_session'") > 0) {
                continue;
            }
            TestDatabases.execute(db, statement);
        }
    }

    /** A database with two users, a group, and a row in every table above. */
    static Path source(Path folder, String name, String schema) {
        Path db = TestDatabases.create(folder, name, schema);
        create(db);
        TestDatabases.insertUser(db, 1, "alice", "pbkdf2_sha256$260000$s$a");
        TestDatabases.insertUser(db, 2, "bob", "pbkdf2_sha256$260000$s$b");
        TestDatabases.addToGroup(db, 2, "editors");
        TestDatabases.execute(db, "INSERT INTO authtoken_token (key, created, user_id) VALUES"
                + " ('9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b', '2024-05-01 09:30:15.123456', 1)");
        TestDatabases.execute(db, "INSERT INTO account_emailaddress (id, email, verified, \"primary\", user_id) VALUES"
                + " (3, 'alice@example.com', 1, 1, 1), (4, 'bob@example.com', 0, 1, 2)");
        TestDatabases.execute(db, "INSERT INTO account_emailconfirmation (id, created, sent, key, email_address_id) VALUES"
                + " (1, '2024-05-01 09:30:15', NULL, 'k1', 4)");
        TestDatabases.execute(db, "INSERT INTO otp_totp_totpdevice (id, name, confirmed, key, step, t0, digits, tolerance, drift,"
                + " last_t, user_id) VALUES (7, 'phone', 1, '3132333435363738393031323334353637383930', 30, 0, 6, 1, 0, -1, 1)");
        TestDatabases.execute(db, "INSERT INTO guardian_userobjectpermission (id, object_pk, content_type_id, permission_id, user_id)"
                + " SELECT 5, '1', ct.id, p.id, 2 FROM django_content_type ct JOIN auth_permission p ON p.content_type_id = ct.id"
                + " WHERE ct.app_label = 'chat' AND ct.model = 'openaimodel' AND p.codename = 'change_openaimodel'");
        TestDatabases.execute(db, "INSERT INTO guardian_groupobjectpermission (id, object_pk, content_type_id, group_id, permission_id)"
                + " SELECT 6, '1', ct.id, g.id, p.id FROM django_content_type ct JOIN auth_permission p ON p.content_type_id = ct.id,"
                + " auth_group g WHERE ct.app_label = 'auth' AND ct.model = 'user' AND p.codename = 'view_user' AND g.name = 'editors'");
        // Bob's mentor is Alice, whose profile comes after his in key order only if ids were reversed: here 2 -> 1.
        TestDatabases.execute(db, "INSERT INTO extras_profile (user_id, bio, mentor_id) VALUES (1, 'first', 2), (2, 'second', NULL)");
        TestDatabases.execute(db, "INSERT INTO extras_project (id, name, owner_id) VALUES (10, 'apollo', 1), (11, 'gemini', NULL)");
        TestDatabases.execute(db, "INSERT INTO extras_project_members (project_id, user_id) VALUES (10, 1), (10, 2), (11, 2)");
        TestDatabases.execute(db, "INSERT INTO django_session (session_key, session_data, expire_date) VALUES"
                + " ('s1', 'data', '2030-01-01 00:00:00')");
        return db;
    }
}
