package io.djangouserbackup.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.jdbi.v3.core.Handle;

/**
 * An empty Django database laid down from Java, exactly as Django's {@code migrate} makes it: the tables of
 * {@code django.contrib.auth} and {@code django.contrib.contenttypes} with their indexes and constraints, the content
 * types and default permissions that {@code migrate} creates, and the {@code django_migrations} rows, so that Django
 * itself agrees the database is migrated ({@code migrate --check}). Immutable; {@code with...} returns a copy.
 *
 * <pre>{@code
 * Path file = tempDir.resolve("db.sqlite3");
 * DjangoDatabase db = DjangoSchema.authAndOpenAiModels().createSqlite(file);
 * // or into an empty database on a server:
 * DjangoSchema.auth().withSql("CREATE TABLE billing_invoice (id integer PRIMARY KEY, user_id integer);")
 *         .createIn(DjangoDatabase.jdbc("jdbc:postgresql://localhost/test").withCredentials("test", pw));
 * }</pre>
 *
 * <p>The schemas are dumps of databases that real Django 3.2 migrated on each engine (SQLite, PostgreSQL,
 * MySQL/MariaDB), with only {@code auth} and {@code contenttypes} installed ({@link #auth()}) or those and the
 * reference project's {@code chat} app, whose {@code chat_openaimodel} table holds the backup's OpenAI models
 * ({@link #authAndOpenAiModels()}); the repository's {@code interop/regenerate-resources.sh} makes them. Tables of
 * other apps come from the caller's SQL ({@link #withSql(String)}), for instance a schema file Django made
 * ({@code sqlite3 db.sqlite3 .dump}, {@code pg_dump}, {@code mysqldump}) with {@link #withSqlFile(Path)}.
 */
public final class DjangoSchema {

    private static final String RESOURCES = "/io/djangouserbackup/core/schema/";
    /** The tables this class creates itself, checked to be absent before it starts. */
    private static final List<String> DJANGO_TABLES = List.of("django_migrations", "django_content_type",
            "auth_permission", "auth_group", "auth_user");

    private final String variant;
    private final List<String> extraSql;

    private DjangoSchema(String variant, List<String> extraSql) {
        this.variant = variant;
        this.extraSql = List.copyOf(extraSql);
    }

    /** {@code django.contrib.auth} and {@code django.contrib.contenttypes} only. */
    public static DjangoSchema auth() {
        return new DjangoSchema("auth", List.of());
    }

    /**
     * {@code auth}, {@code contenttypes} and the OpenAI model table ({@code chat_openaimodel} and its
     * {@code chat_openaimodel_users} link to the users), as the reference project's {@code chat} app migrates them:
     * a database that holds every section of a backup.
     */
    public static DjangoSchema authAndOpenAiModels() {
        return new DjangoSchema("auth-chat", List.of());
    }

    /**
     * A copy that runs more SQL after the Django tables: statements separated by a {@code ;} at the end of a line
     * (as dumps write them), in the dialect of the target engine. Lines starting with {@code --} or {@code \}
     * (psql meta-commands) are skipped.
     */
    public DjangoSchema withSql(String sql) {
        Objects.requireNonNull(sql, "sql");
        List<String> more = new ArrayList<>(extraSql);
        more.addAll(split(sql));
        return new DjangoSchema(variant, more);
    }

    /** {@link #withSql(String)} with the content of a UTF-8 file, read now. */
    public DjangoSchema withSqlFile(Path file) {
        try {
            return withSql(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** The statements that {@link #createIn} runs on an engine ({@code sqlite}, {@code postgresql}, {@code mysql}). */
    public List<String> statements(String engine) {
        List<String> all = new ArrayList<>(split(resource(engine)));
        all.addAll(extraSql);
        return all;
    }

    /**
     * Creates a new SQLite database file with this schema and returns it; when a statement fails, the file is
     * deleted again.
     *
     * @throws OutputExistsException when the file exists already
     */
    public DjangoDatabase createSqlite(Path file) {
        Objects.requireNonNull(file, "file");
        if (Files.exists(file)) {
            throw new OutputExistsException(file);
        }
        Path absolute = file.toAbsolutePath();
        // DjangoDatabase never creates a file (a mistyped path must not become an empty database): create it here.
        org.sqlite.SQLiteDataSource create = new org.sqlite.SQLiteDataSource();
        create.setUrl("jdbc:sqlite:" + absolute);
        try (Connection connection = create.getConnection()) {
            connection.isValid(1);
        } catch (SQLException e) {
            throw new DatabaseAccessException("cannot create " + absolute + ": " + e.getMessage(), e);
        }
        DjangoDatabase database = DjangoDatabase.sqlite(absolute);
        try {
            createIn(database);
        } catch (RuntimeException e) {
            try {
                Files.deleteIfExists(absolute);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        return database;
    }

    /**
     * Lays the schema down in a database that has none of Django's tables yet, in one transaction where the engine
     * allows (SQLite, PostgreSQL; MySQL commits each table as it creates it).
     *
     * @return the number of statements run
     * @throws IncompatibleDatabaseException when the database has Django's tables already
     * @throws DatabaseAccessException       when a statement fails
     */
    public int createIn(DjangoDatabase database) {
        Objects.requireNonNull(database, "database");
        String engine = database.dialect().name();
        List<String> statements = statements(engine);
        try (Handle handle = database.open(false)) {
            Connection connection = handle.getConnection();
            refuseExistingTables(connection, database);
            boolean mysql = engine.equals("mysql");
            try (Statement statement = connection.createStatement()) {
                if (mysql) {
                    // mysqldump writes tables in name order, some before the tables their foreign keys name.
                    statement.execute("SET FOREIGN_KEY_CHECKS = 0");
                } else {
                    connection.setAutoCommit(false);
                }
                int index = 0;
                try {
                    for (String sql : statements) {
                        index++;
                        statement.execute(sql);
                    }
                    if (!mysql) {
                        connection.commit();
                    }
                } catch (SQLException e) {
                    if (!mysql) {
                        connection.rollback();
                    }
                    throw new DatabaseAccessException(database.description() + ": schema statement " + index + " of "
                            + statements.size() + " failed: " + e.getMessage(), e);
                } finally {
                    if (mysql) {
                        statement.execute("SET FOREIGN_KEY_CHECKS = 1");
                    } else {
                        connection.setAutoCommit(true);
                    }
                }
            }
            return statements.size();
        } catch (SQLException e) {
            throw new DatabaseAccessException(database.description() + ": " + e.getMessage(), e);
        }
    }

    private static void refuseExistingTables(Connection connection, DjangoDatabase database) throws SQLException {
        DatabaseMetaData meta = connection.getMetaData();
        List<String> present = new ArrayList<>();
        // Catalog and schema of the connection: other databases on the same server do not count.
        String catalog = connection.getCatalog();
        String schema = database.dialect().name().equals("postgresql") ? connection.getSchema() : null;
        try (ResultSet tables = meta.getTables(catalog, schema, "%", new String[] {"TABLE"})) {
            while (tables.next()) {
                String name = tables.getString("TABLE_NAME").toLowerCase(Locale.ROOT);
                if (DJANGO_TABLES.contains(name)) {
                    present.add(name);
                }
            }
        }
        if (!present.isEmpty()) {
            throw new IncompatibleDatabaseException(database.description() + " has Django's tables already " + present
                    + "; DjangoSchema creates them only in a database without them");
        }
    }

    private String resource(String engine) {
        String path = RESOURCES + engine + "/" + variant + ".sql";
        try (InputStream in = DjangoSchema.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IncompatibleDatabaseException("no Django schema for engine " + engine);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }

    /**
     * Statements ending in {@code ;} at the end of a line; {@code --} comment lines, psql meta-commands
     * ({@code \restrict}) and blank lines skipped.
     */
    static List<String> split(String sql) {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : sql.split("\r?\n")) {
            String trimmed = line.strip();
            // psql meta-commands (pg_dump 15.14+ writes its restrict and unrestrict lines with a backslash) are not SQL.
            if (current.length() == 0 && (trimmed.isEmpty() || trimmed.startsWith("--") || trimmed.startsWith("\\"))) {
                continue;
            }
            if (current.length() > 0) {
                current.append('\n');
            }
            current.append(line);
            if (trimmed.endsWith(";")) {
                String statement = current.toString().strip();
                statements.add(statement.substring(0, statement.length() - 1));
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            statements.add(current.toString().strip());
        }
        return statements;
    }

    /** For messages. */
    @Override
    public String toString() {
        return "DjangoSchema[" + variant + (extraSql.isEmpty() ? "" : ", " + extraSql.size() + " more statements") + "]";
    }
}
