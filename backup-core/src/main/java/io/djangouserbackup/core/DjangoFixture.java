package io.djangouserbackup.core;

import io.djangouserbackup.model.PermissionKey;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;

/**
 * A backup written in Java instead of JSON: groups with permissions by natural key, users with plain-text passwords
 * (hashed as Django hashes them, so the real Django application accepts them), OpenAI models and their users.
 * A fixture is the very document an export makes (sealed with its digest, valid for {@link Verifier}): the builder
 * lays its rows into a scratch SQLite database with Django's empty schema ({@link DjangoSchema#authAndOpenAiModels()})
 * and exports that. Immutable once built.
 *
 * <pre>{@code
 * DjangoFixture fixture = DjangoFixture.builder()
 *         .group("editors", "chat.openaimodel.change_openaimodel", "auth.user.view_user")
 *         .user("alice", "s3cret", user -> user.staff().email("alice@example.com").groups("editors"))
 *         .user("bob", null, user -> user.inactive())                 // null: an unusable password
 *         .openAiModel("gpt-4o", model -> model.maxTokens(4096).temperature("0.7").users("alice"))
 *         .build();
 * fixture.writeTo(Path.of("fixture.json"));
 * fixture.restoreInto(DjangoDatabase.sqlite(Path.of("db.sqlite3")));
 * }</pre>
 *
 * <p>Users get ids 1, 2, ... in the order they are added (or the id given), groups and OpenAI models likewise.
 * Permissions are named {@code app_label.model.codename}; the default permissions of {@code auth},
 * {@code contenttypes} and the OpenAI model exist, others are added with {@link Builder#permission}. Passwords are
 * hashed with {@link DjangoPasswordHasher#newest()} unless another hasher is given; users with the same plain-text
 * password share one hash (Django verifies it for each), since every hash at a million iterations costs a second.
 */
public final class DjangoFixture {

    /** When users joined and models were created, unless a fixture says otherwise: {@code 2024-01-01T00:00:00Z}. */
    public static final Instant DEFAULT_TIME = Instant.parse("2024-01-01T00:00:00Z");

    private static final DateTimeFormatter SQLITE_SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final DateTimeFormatter SQLITE_MICROS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

    private final byte[] document;
    private final ExportResult export;

    private DjangoFixture(byte[] document, ExportResult export) {
        this.document = document;
        this.export = export;
    }

    /** Starts an empty fixture. */
    public static Builder builder() {
        return new Builder();
    }

    /** The backup document, UTF-8 JSON, as an export writes it. */
    public byte[] bytes() {
        return document.clone();
    }

    /** The number of rows of each section ({@code permissions}, {@code groups}, {@code users}, {@code openai_models}). */
    public Map<String, Long> rows() {
        return export.rows();
    }

    /** The fixture as a backup source, for {@link Importer}, {@link Verifier} or comparisons. */
    public BackupSource source() {
        return new BackupSource() {
            @Override
            public String description() {
                return "fixture built in Java (" + document.length + " bytes)";
            }

            @Override
            protected java.io.InputStream openRaw() {
                return new java.io.ByteArrayInputStream(document);
            }
        };
    }

    /**
     * Writes the fixture to a file (gzip-compressed when the name ends in {@code .gz}), replacing one that exists.
     *
     * @return the file
     */
    public Path writeTo(Path file) {
        Objects.requireNonNull(file, "file");
        try {
            Path parent = file.toAbsolutePath().getParent();
            Path temp = Files.createTempFile(parent, ".fixture", ".tmp");
            try (var out = file.getFileName().toString().endsWith(".gz")
                    ? new java.util.zip.GZIPOutputStream(Files.newOutputStream(temp))
                    : Files.newOutputStream(temp)) {
                out.write(document);
            }
            Files.move(temp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** Restores the fixture into a database in {@link ImportMode#REPLACE} mode: afterwards it holds exactly the fixture. */
    public ImportResult restoreInto(DjangoDatabase database) {
        return restoreInto(database, ImportMode.REPLACE);
    }

    /** Restores the fixture into a database in the given mode. */
    public ImportResult restoreInto(DjangoDatabase database, ImportMode mode) {
        return Importer.of(database).withMode(mode).importFrom(source());
    }

    /** Sizes only: a fixture holds password hashes, which never reach a log. */
    @Override
    public String toString() {
        return "DjangoFixture" + export.rows();
    }

    /** One user of a fixture, set up in the lambda of {@link Builder#user(String, String, Consumer)}. */
    public static final class User {
        private final String username;
        private final String password;
        private Long id;
        private String encodedPassword;
        private String firstName = "";
        private String lastName = "";
        private String email = "";
        private boolean staff;
        private boolean superuser;
        private boolean active = true;
        private Instant dateJoined = DEFAULT_TIME;
        private Instant lastLogin;
        private final Set<String> groups = new LinkedHashSet<>();
        private final Set<String> permissions = new LinkedHashSet<>();

        private User(String username, String password) {
            this.username = username;
            this.password = password;
        }

        /** The user's id; by default the next after the highest so far. */
        public User id(long id) {
            this.id = id;
            return this;
        }

        /** A hash made elsewhere (any Django hasher's form), stored as it is instead of hashing the plain password. */
        public User encodedPassword(String encoded) {
            this.encodedPassword = Objects.requireNonNull(encoded, "encoded");
            return this;
        }

        /** {@code first_name} and {@code last_name}. */
        public User name(String firstName, String lastName) {
            this.firstName = Objects.requireNonNull(firstName, "firstName");
            this.lastName = Objects.requireNonNull(lastName, "lastName");
            return this;
        }

        /** {@code email}. */
        public User email(String email) {
            this.email = Objects.requireNonNull(email, "email");
            return this;
        }

        /** {@code is_staff = true}. */
        public User staff() {
            this.staff = true;
            return this;
        }

        /** {@code is_superuser = true}. */
        public User superuser() {
            this.superuser = true;
            return this;
        }

        /** {@code is_active = false}. */
        public User inactive() {
            this.active = false;
            return this;
        }

        /** {@code date_joined}, kept to the microsecond. */
        public User dateJoined(Instant dateJoined) {
            this.dateJoined = Objects.requireNonNull(dateJoined, "dateJoined");
            return this;
        }

        /** {@code last_login}; null (never) by default. */
        public User lastLogin(Instant lastLogin) {
            this.lastLogin = lastLogin;
            return this;
        }

        /** Groups by name; each must be added to the fixture with {@link Builder#group}. */
        public User groups(String... names) {
            groups.addAll(List.of(names));
            return this;
        }

        /** Direct permissions, each {@code app_label.model.codename}. */
        public User permissions(String... naturalKeys) {
            for (String key : naturalKeys) {
                Builder.parse(key);
            }
            permissions.addAll(List.of(naturalKeys));
            return this;
        }
    }

    /** One OpenAI model of a fixture, set up in the lambda of {@link Builder#openAiModel(String, Consumer)}. */
    public static final class OpenAiModel {
        private final String name;
        private Long id;
        private String description = "";
        private int maxTokens = 4096;
        private BigDecimal temperature = BigDecimal.ONE;
        private boolean enabled = true;
        private Instant created = DEFAULT_TIME;
        private final Set<String> users = new LinkedHashSet<>();

        private OpenAiModel(String name) {
            this.name = name;
        }

        /** The model's id; by default the next after the highest so far. */
        public OpenAiModel id(long id) {
            this.id = id;
            return this;
        }

        /** {@code description}; empty by default. */
        public OpenAiModel description(String description) {
            this.description = Objects.requireNonNull(description, "description");
            return this;
        }

        /** {@code max_tokens}; 4096 by default. */
        public OpenAiModel maxTokens(int maxTokens) {
            this.maxTokens = maxTokens;
            return this;
        }

        /** {@code temperature}, a decimal of at most 4 digits, 2 after the point ({@code "0.7"}); 1 by default. */
        public OpenAiModel temperature(String temperature) {
            BigDecimal value = new BigDecimal(temperature);
            if (value.setScale(2, RoundingMode.UNNECESSARY).precision() > 4) {
                throw new IllegalArgumentException("temperature " + temperature + " does not fit DecimalField(4, 2)");
            }
            this.temperature = value;
            return this;
        }

        /** {@code is_enabled = false}. */
        public OpenAiModel disabled() {
            this.enabled = false;
            return this;
        }

        /** {@code created}, kept to the microsecond. */
        public OpenAiModel created(Instant created) {
            this.created = Objects.requireNonNull(created, "created");
            return this;
        }

        /** The users assigned to the model, by username; each must be a user of the fixture. */
        public OpenAiModel users(String... usernames) {
            users.addAll(List.of(usernames));
            return this;
        }
    }

    /** Collects a fixture; {@link #build()} makes it. Not thread-safe. */
    public static final class Builder {
        private DjangoPasswordHasher hasher = DjangoPasswordHasher.newest();
        private Clock clock = Clock.systemUTC();
        private final Map<PermissionKey, String> extraPermissions = new LinkedHashMap<>();
        private final Map<String, Long> groupIds = new LinkedHashMap<>();
        private final Map<String, List<String>> groupPermissions = new LinkedHashMap<>();
        private final Map<String, User> users = new LinkedHashMap<>();
        private final Map<String, OpenAiModel> models = new LinkedHashMap<>();

        private Builder() {
        }

        /** The hasher of the plain-text passwords; {@link DjangoPasswordHasher#newest()} by default. */
        public Builder passwordHasher(DjangoPasswordHasher hasher) {
            this.hasher = Objects.requireNonNull(hasher, "hasher");
            return this;
        }

        /** The clock that dates the backup ({@code export_date}); the system's by default. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * A permission beyond the default ones, with its content type if that is new: say
         * {@code permission("billing.invoice.refund_invoice", "Can refund invoice")}. A database the fixture is
         * restored into must have the content type (its app installed and migrated); the import creates the
         * permission when it is missing, as Django's {@code migrate} would.
         */
        public Builder permission(String naturalKey, String name) {
            extraPermissions.put(parse(naturalKey), Objects.requireNonNull(name, "name"));
            return this;
        }

        /** A group with permissions, each {@code app_label.model.codename}; its id is the next. */
        public Builder group(String name, String... permissions) {
            return group(name, groupIds.values().stream().mapToLong(Long::longValue).max().orElse(0) + 1, permissions);
        }

        /** A group with a given id. */
        public Builder group(String name, long id, String... permissions) {
            Objects.requireNonNull(name, "name");
            if (groupIds.containsKey(name)) {
                throw new IllegalArgumentException("group " + name + " is in the fixture already");
            }
            for (String permission : permissions) {
                parse(permission);
            }
            groupIds.put(name, id);
            groupPermissions.put(name, List.of(permissions));
            return this;
        }

        /** A user with a plain-text password (null for an unusable one) and no other details. */
        public Builder user(String username, String password) {
            return user(username, password, user -> { });
        }

        /**
         * A user with a plain-text password, hashed as Django hashes it; null gives an unusable password, as
         * {@code create_user(username, password=None)} does.
         */
        public Builder user(String username, String password, Consumer<User> details) {
            Objects.requireNonNull(username, "username");
            if (users.containsKey(username)) {
                throw new IllegalArgumentException("user " + username + " is in the fixture already");
            }
            User user = new User(username, password);
            details.accept(user);
            if (user.id == null) {
                user.id = users.values().stream().mapToLong(u -> u.id).max().orElse(0) + 1;
            }
            users.put(username, user);
            return this;
        }

        /** An OpenAI model ({@code chat_openaimodel} row) and its users. */
        public Builder openAiModel(String name, Consumer<OpenAiModel> details) {
            Objects.requireNonNull(name, "name");
            if (models.containsKey(name)) {
                throw new IllegalArgumentException("OpenAI model " + name + " is in the fixture already");
            }
            OpenAiModel model = new OpenAiModel(name);
            details.accept(model);
            if (model.id == null) {
                model.id = models.values().stream().mapToLong(m -> m.id).max().orElse(0) + 1;
            }
            models.put(name, model);
            return this;
        }

        /**
         * Makes the fixture: hashes the passwords, writes the rows into a scratch SQLite database with Django's
         * schema and exports it.
         *
         * @throws IllegalArgumentException for a permission, group or user that the fixture does not have
         */
        public DjangoFixture build() {
            Path dir = null;
            try {
                dir = Files.createTempDirectory("django-fixture");
                DjangoDatabase scratch = DjangoSchema.authAndOpenAiModels().createSqlite(dir.resolve("fixture.sqlite3"));
                try (Handle handle = scratch.open(false)) {
                    Connection connection = handle.getConnection();
                    connection.setAutoCommit(false);
                    write(connection);
                    connection.commit();
                }
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                ExportResult result = Exporter.of(scratch).withClock(clock).exportTo(out);
                return new DjangoFixture(out.toByteArray(), result);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (SQLException e) {
                throw new DatabaseAccessException("cannot build the fixture: " + e.getMessage(), e);
            } finally {
                deleteQuietly(dir);
            }
        }

        private void write(Connection connection) throws SQLException {
            Map<PermissionKey, Long> permissionIds = permissions(connection);
            insertAll(connection, "INSERT INTO auth_group (id, name) VALUES (?, ?)", groupIds.entrySet(),
                    (statement, group) -> {
                        statement.setLong(1, group.getValue());
                        statement.setString(2, group.getKey());
                    });
            List<long[]> groupLinks = new ArrayList<>();
            groupPermissions.forEach((group, keys) -> {
                for (String key : keys) {
                    groupLinks.add(new long[] {groupIds.get(group), permissionId(permissionIds, key, "group " + group)});
                }
            });
            insertLinks(connection, "auth_group_permissions", "group_id", "permission_id", groupLinks);

            Map<String, String> hashByPassword = new HashMap<>();
            insertAll(connection, "INSERT INTO auth_user (id, password, last_login, is_superuser, username, first_name, "
                    + "last_name, email, is_staff, is_active, date_joined) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    users.values(), (statement, user) -> {
                        statement.setLong(1, user.id);
                        statement.setString(2, user.encodedPassword != null ? user.encodedPassword
                                : user.password == null ? hasher.unusable()
                                : hashByPassword.computeIfAbsent(user.password, hasher::hash));
                        statement.setString(3, user.lastLogin == null ? null : sqliteDateTime(user.lastLogin));
                        statement.setBoolean(4, user.superuser);
                        statement.setString(5, user.username);
                        statement.setString(6, user.firstName);
                        statement.setString(7, user.lastName);
                        statement.setString(8, user.email);
                        statement.setBoolean(9, user.staff);
                        statement.setBoolean(10, user.active);
                        statement.setString(11, sqliteDateTime(user.dateJoined));
                    });
            List<long[]> userGroups = new ArrayList<>();
            List<long[]> userPermissions = new ArrayList<>();
            for (User user : users.values()) {
                for (String group : user.groups) {
                    Long groupId = groupIds.get(group);
                    if (groupId == null) {
                        throw new IllegalArgumentException("user " + user.username + ": no group " + group + " in the fixture");
                    }
                    userGroups.add(new long[] {user.id, groupId});
                }
                for (String key : user.permissions) {
                    userPermissions.add(new long[] {user.id, permissionId(permissionIds, key, "user " + user.username)});
                }
            }
            insertLinks(connection, "auth_user_groups", "user_id", "group_id", userGroups);
            insertLinks(connection, "auth_user_user_permissions", "user_id", "permission_id", userPermissions);

            insertAll(connection, "INSERT INTO chat_openaimodel (id, name, description, max_tokens, temperature, "
                    + "is_enabled, created) VALUES (?, ?, ?, ?, ?, ?, ?)", models.values(), (statement, model) -> {
                        statement.setLong(1, model.id);
                        statement.setString(2, model.name);
                        statement.setString(3, model.description);
                        statement.setInt(4, model.maxTokens);
                        // As Django's SQLite backend binds a DecimalField: the text with its decimal places.
                        statement.setString(5, model.temperature.setScale(2, RoundingMode.UNNECESSARY).toPlainString());
                        statement.setBoolean(6, model.enabled);
                        statement.setString(7, sqliteDateTime(model.created));
                    });
            List<long[]> modelUsers = new ArrayList<>();
            for (OpenAiModel model : models.values()) {
                for (String username : model.users) {
                    User user = users.get(username);
                    if (user == null) {
                        throw new IllegalArgumentException("OpenAI model " + model.name + ": no user " + username + " in the fixture");
                    }
                    modelUsers.add(new long[] {model.id, user.id});
                }
            }
            insertLinks(connection, "chat_openaimodel_users", "openaimodel_id", "user_id", modelUsers);
        }

        /** Every permission of the scratch database by natural key, with the extra ones added first. */
        private Map<PermissionKey, Long> permissions(Connection connection) throws SQLException {
            for (Map.Entry<PermissionKey, String> extra : extraPermissions.entrySet()) {
                PermissionKey key = extra.getKey();
                try (PreparedStatement insert = connection.prepareStatement(
                        "INSERT OR IGNORE INTO django_content_type (app_label, model) VALUES (?, ?)")) {
                    insert.setString(1, key.appLabel());
                    insert.setString(2, key.model());
                    insert.executeUpdate();
                }
                try (PreparedStatement insert = connection.prepareStatement("INSERT INTO auth_permission (name, "
                        + "content_type_id, codename) SELECT ?, id, ? FROM django_content_type WHERE app_label = ? AND model = ?")) {
                    insert.setString(1, extra.getValue());
                    insert.setString(2, key.codename());
                    insert.setString(3, key.appLabel());
                    insert.setString(4, key.model());
                    insert.executeUpdate();
                } catch (SQLException e) {
                    throw new IllegalArgumentException("permission " + key + " exists already", e);
                }
            }
            Map<PermissionKey, Long> ids = new HashMap<>();
            try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(
                    "SELECT c.app_label, c.model, p.codename, p.id FROM auth_permission p "
                            + "JOIN django_content_type c ON c.id = p.content_type_id")) {
                while (rows.next()) {
                    ids.put(new PermissionKey(rows.getString(1), rows.getString(2), rows.getString(3)), rows.getLong(4));
                }
            }
            return ids;
        }

        private static long permissionId(Map<PermissionKey, Long> ids, String naturalKey, String owner) {
            Long id = ids.get(parse(naturalKey));
            if (id == null) {
                throw new IllegalArgumentException(owner + ": no permission " + naturalKey
                        + " (add it with permission(\"" + naturalKey + "\", \"Can ...\"))");
            }
            return id;
        }

        private static PermissionKey parse(String naturalKey) {
            String[] parts = Objects.requireNonNull(naturalKey, "naturalKey").split("\\.");
            if (parts.length != 3 || Set.of(parts).contains("")) {
                throw new IllegalArgumentException("a permission is app_label.model.codename, not " + naturalKey);
            }
            return new PermissionKey(parts[0], parts[1], parts[2]);
        }

        private interface Binder<T> {
            void bind(PreparedStatement statement, T item) throws SQLException;
        }

        private static <T> void insertAll(Connection connection, String sql, Iterable<T> items, Binder<T> binder)
                throws SQLException {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                for (T item : items) {
                    binder.bind(statement, item);
                    statement.addBatch();
                }
                statement.executeBatch();
            } catch (SQLException e) {
                if (e.getMessage() != null && e.getMessage().contains("UNIQUE")) {
                    throw new IllegalArgumentException("two rows of the fixture have the same id or name: " + e.getMessage(), e);
                }
                throw e;
            }
        }

        private static void insertLinks(Connection connection, String table, String from, String to, List<long[]> links)
                throws SQLException {
            insertAll(connection, "INSERT INTO " + table + " (" + from + ", " + to + ") VALUES (?, ?)", links,
                    (statement, link) -> {
                        statement.setLong(1, link[0]);
                        statement.setLong(2, link[1]);
                    });
        }

        /** Django's SQLite form of an aware datetime under {@code USE_TZ}: UTC, microseconds only when not zero. */
        private static String sqliteDateTime(Instant instant) {
            LocalDateTime utc = LocalDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
            return (utc.getNano() == 0 ? SQLITE_SECONDS : SQLITE_MICROS).format(utc);
        }

        private static void deleteQuietly(Path dir) {
            if (dir == null) {
                return;
            }
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException ignored) {
                // A scratch directory in the temporary folder; the system cleans it up eventually.
            }
        }
    }
}
