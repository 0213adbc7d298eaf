package io.djangouserbackup.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL server for tests, and databases on it whose schema real Django made.
 *
 * <p>Connection settings come from environment variables with defaults that {@code .ci/start-postgres} creates:
 * {@code DUB_PG_HOST} ({@code localhost}), {@code DUB_PG_PORT} ({@code 5432}), {@code DUB_PG_USER} ({@code dub}),
 * {@code DUB_PG_PASSWORD} ({@code dub}); the role must be allowed to create databases. When the server cannot be
 * reached the tests fail with a message saying how to start it: they never skip.
 *
 * <p>Django 3.2 ({@code /usr/bin/python3} with Debian's {@code python3-django} and {@code python3-psycopg2})
 * migrates one template database per schema variant, once per test run; each test gets a copy
 * ({@code CREATE DATABASE ... TEMPLATE ...}, a fraction of a second). Every database created is dropped when the
 * JVM ends.
 */
public final class PostgresServer {
    static final String HOST = env("DUB_PG_HOST", "localhost");
    static final int PORT = Integer.parseInt(env("DUB_PG_PORT", "5432"));
    static final String USER = env("DUB_PG_USER", "dub");
    static final String PASSWORD = env("DUB_PG_PASSWORD", "dub");
    static final Path PYTHON = Path.of("/usr/bin/python3");

    private static final String PREFIX = "dub_test_" + ProcessHandle.current().pid() + "_";
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final Map<String, String> TEMPLATES = new ConcurrentHashMap<>();
    private static final List<String> CREATED = new ArrayList<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(PostgresServer::dropAll));
    }

    private PostgresServer() {
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    /** A database on the server, with the URL forms the library and Django take. */
    public record Database(String name) {
        /** The JDBC URL, without credentials. */
        public String jdbcUrl() {
            return "jdbc:postgresql://" + HOST + ":" + PORT + "/" + name;
        }

        /** Django's form, with credentials, for {@code DJANGO_DB_URL} and {@link DatabaseUrls}. */
        public String djangoUrl() {
            return "postgres://" + USER + ":" + PASSWORD + "@" + HOST + ":" + PORT + "/" + name;
        }

        /** The library's view of it. */
        public DjangoDatabase django() {
            return DjangoDatabase.jdbc(jdbcUrl()).withCredentials(USER, PASSWORD);
        }

        /** A plain connection, for setting up and inspecting rows. */
        public Connection connect() throws SQLException {
            return PostgresServer.connect(name);
        }

        /** Runs one statement. */
        public void execute(String sql) {
            try (Connection connection = connect(); Statement statement = connection.createStatement()) {
                statement.execute(sql);
            } catch (SQLException e) {
                throw new IllegalStateException(sql + ": " + e.getMessage(), e);
            }
        }

        /** One number from a query. */
        public long queryLong(String sql) {
            try (Connection connection = connect(); Statement statement = connection.createStatement();
                 var rs = statement.executeQuery(sql)) {
                rs.next();
                return rs.getLong(1);
            } catch (SQLException e) {
                throw new IllegalStateException(sql + ": " + e.getMessage(), e);
            }
        }
    }

    static Connection connect(String database) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", USER);
        properties.setProperty("password", PASSWORD);
        properties.setProperty("connectTimeout", "5");
        return DriverManager.getConnection("jdbc:postgresql://" + HOST + ":" + PORT + "/" + database, properties);
    }

    private static boolean staleDropped;

    /** Fails with a clear message when the server cannot be reached; never skips. */
    public static void require() {
        try (Connection connection = connect("postgres")) {
            dropStale(connection);
        } catch (SQLException e) {
            throw new AssertionError("PostgreSQL is not reachable at " + HOST + ":" + PORT + " as role " + USER
                    + " (" + e.getMessage() + "). These tests need a real server: run .ci/start-postgres as root"
                    + " (installs Debian's postgresql and python3-psycopg2, starts the cluster, creates role dub),"
                    + " or point DUB_PG_HOST/DUB_PG_PORT/DUB_PG_USER/DUB_PG_PASSWORD at a server whose role may create databases.", e);
        }
    }

    /**
     * Drops the test databases of test JVMs that are gone (a JVM that was killed never ran its shutdown hook), so
     * a machine that runs the suite again and again does not fill up. Once per JVM.
     */
    private static synchronized void dropStale(Connection connection) throws SQLException {
        if (staleDropped) {
            return;
        }
        staleDropped = true;
        List<String> stale = new ArrayList<>();
        try (Statement statement = connection.createStatement();
             var rs = statement.executeQuery("SELECT datname FROM pg_database WHERE datname LIKE 'dub\\_test\\_%'")) {
            while (rs.next()) {
                String name = rs.getString(1);
                String[] parts = name.split("_");
                if (parts.length >= 4 && parts[2].matches("\\d+")
                        && ProcessHandle.of(Long.parseLong(parts[2])).map(p -> !p.isAlive()).orElse(true)) {
                    stale.add(name);
                }
            }
        }
        try (Statement statement = connection.createStatement()) {
            for (String name : stale) {
                statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            }
        }
    }

    /** A new database with the schema Django migrates for the variant ({@code default} or {@code custom}). */
    public static Database create(String variant) {
        require();
        String template = TEMPLATES.computeIfAbsent(variant, PostgresServer::migrateTemplate);
        String name = PREFIX + COUNTER.incrementAndGet();
        admin("CREATE DATABASE " + name + " TEMPLATE " + template);
        return new Database(name);
    }

    /** A new empty database (for Django to migrate itself). */
    public static Database createEmpty() {
        require();
        String name = PREFIX + COUNTER.incrementAndGet();
        admin("CREATE DATABASE " + name);
        return new Database(name);
    }

    /** The test role's password, for a test that passes it the way an operator would (PGPASSWORD). */
    public static String password() {
        return PASSWORD;
    }

    private static String migrateTemplate(String variant) {
        String name = PREFIX + "template_" + variant;
        admin("CREATE DATABASE " + name);
        Database database = new Database(name);
        Map<String, String> env = new LinkedHashMap<>();
        env.put("DJANGO_USER_VARIANT", variant);
        django(database, env, List.of(djangoProject().resolve("manage.py").toString(), "migrate", "-v", "0"));
        return name;
    }

    private static synchronized void admin(String sql) {
        try (Connection connection = connect("postgres"); Statement statement = connection.createStatement()) {
            statement.execute(sql);
            if (sql.startsWith("CREATE DATABASE ")) {
                CREATED.add(sql.split(" ")[2]);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    private static synchronized void dropAll() {
        try (Connection connection = connect("postgres"); Statement statement = connection.createStatement()) {
            for (int i = CREATED.size() - 1; i >= 0; i--) {
                statement.execute("DROP DATABASE IF EXISTS " + CREATED.get(i) + " WITH (FORCE)");
            }
        } catch (SQLException e) {
            System.err.println("could not drop test databases " + CREATED + ": " + e.getMessage());
        }
    }

    /** The interop Django project ({@code interop/djangoproject}), found upwards from the working directory. */
    static Path djangoProject() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path project = dir.resolve("interop/djangoproject");
            if (Files.isRegularFile(project.resolve("manage.py"))) {
                return project;
            }
        }
        throw new AssertionError("interop/djangoproject/manage.py not found above " + Path.of("").toAbsolutePath());
    }

    /**
     * Runs Debian's Python with Django set up on the database; returns its standard output.
     * Fails, with Python's output, when the process does not exit 0.
     */
    public static String django(Database database, Map<String, String> extraEnv, List<String> arguments) {
        List<String> command = new ArrayList<>();
        command.add(PYTHON.toString());
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command).directory(djangoProject().toFile());
        builder.environment().remove("DJANGO_DB_PATH");
        builder.environment().remove("PYTHONPATH");
        builder.environment().put("DJANGO_DB_URL", database.djangoUrl());
        builder.environment().put("DJANGO_SETTINGS_MODULE", "site_settings.settings");
        builder.environment().put("PYTHONDONTWRITEBYTECODE", "1");
        builder.environment().put("PYTHONIOENCODING", "utf-8");
        builder.environment().putAll(extraEnv);
        try {
            Path stderr = Files.createTempFile("dub-django", ".err");
            builder.redirectError(stderr.toFile());
            Process process = builder.start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(3, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError("Django did not finish in 3 minutes: " + command);
            }
            String err = Files.readString(stderr);
            Files.deleteIfExists(stderr);
            if (process.exitValue() != 0) {
                throw new AssertionError("Django failed (exit " + process.exitValue() + "): " + command + "\nstdout:\n" + out
                        + "\nstderr:\n" + err + "\n(needs Debian's python3-django and python3-psycopg2: run .ci/start-postgres)");
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Runs a Python snippet with Django set up on the database (the default user variant). */
    public static String djangoSnippet(Database database, String code) {
        String setup = "import django\ndjango.setup()\n";
        return django(database, Map.of(), List.of("-c", setup + code));
    }
}
