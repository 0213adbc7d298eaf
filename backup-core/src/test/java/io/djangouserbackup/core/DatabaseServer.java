package io.djangouserbackup.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real database server for tests (PostgreSQL, MariaDB), and databases on it whose schema real Django made. What
 * differs between the engines (URLs, how a database is created, copied and dropped) is in the subclasses.
 *
 * <p>Connection settings come from environment variables with defaults that the engine's {@code .ci/start-*}
 * script creates. When the server cannot be reached the tests fail with a message saying how to start it: they
 * never skip.
 *
 * <p>Django 3.2 ({@code /usr/bin/python3} with Debian's {@code python3-django} and the engine's driver) migrates
 * one template database per schema variant, once per test run; each test gets a copy. Every database created is
 * dropped when the JVM ends, and databases of test JVMs that are gone are dropped on first use.
 */
public abstract class DatabaseServer {
    static final Path PYTHON = Path.of("/usr/bin/python3");

    /** Test databases are named {@code dub_test_<pid>_<n>}: the pid tells which are stale. */
    private final String prefix = "dub_test_" + ProcessHandle.current().pid() + "_";
    private final AtomicInteger counter = new AtomicInteger();
    private final Map<String, String> templates = new ConcurrentHashMap<>();
    private final List<String> created = new ArrayList<>();
    private boolean staleDropped;

    protected final String host;
    protected final int port;
    protected final String user;
    protected final String password;

    protected DatabaseServer(String envPrefix, String host, int port, String user, String password) {
        this.host = env(envPrefix + "HOST", host);
        this.port = Integer.parseInt(env(envPrefix + "PORT", String.valueOf(port)));
        this.user = env(envPrefix + "USER", user);
        this.password = env(envPrefix + "PASSWORD", password);
        Runtime.getRuntime().addShutdownHook(new Thread(this::dropAll));
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    /** The engine, for messages: {@code PostgreSQL}, {@code MariaDB}. */
    protected abstract String engine();

    /** How to start the server, for the message of a test that cannot reach it. */
    protected abstract String howToStart();

    /** The JDBC URL of a database, without credentials. */
    protected abstract String jdbcUrl(String database);

    /** Django's URL form of a database, with credentials. */
    protected abstract String djangoUrl(String database);

    /** A plain connection to a database; {@code null} for the server's administrative one. */
    protected abstract Connection connect(String database) throws SQLException;

    /** The names of all test databases on the server (named {@code dub_test_...}). */
    protected abstract List<String> testDatabases(Statement admin) throws SQLException;

    /** Creates an empty database, as Django's migrate wants it. */
    protected abstract void createDatabase(Statement admin, String name) throws SQLException;

    /** Creates a database as a copy of a migrated template: tables, constraints and rows. */
    protected abstract void copyDatabase(Statement admin, String template, String name) throws SQLException;

    /** Drops a database, closing its connections if need be. */
    protected abstract void dropDatabase(Statement admin, String name) throws SQLException;

    /** The role's password, for a test that passes it the way an operator would (an environment variable). */
    public String password() {
        return password;
    }

    /** The role's name. */
    public String user() {
        return user;
    }

    /** Fails with a clear message when the server cannot be reached; never skips. */
    public void require() {
        try (Connection connection = connect(null)) {
            dropStale(connection);
        } catch (SQLException e) {
            throw new AssertionError(engine() + " is not reachable at " + host + ":" + port + " as " + user
                    + " (" + e.getMessage() + "). These tests need a real server: " + howToStart(), e);
        }
    }

    /**
     * Drops the test databases of test JVMs that are gone (a JVM that was killed never ran its shutdown hook), so
     * a machine that runs the suite again and again does not fill up. Once per JVM.
     */
    private synchronized void dropStale(Connection connection) throws SQLException {
        if (staleDropped) {
            return;
        }
        staleDropped = true;
        try (Statement statement = connection.createStatement()) {
            for (String name : testDatabases(statement)) {
                String[] parts = name.split("_");
                if (parts.length >= 4 && parts[2].matches("\\d+")
                        && ProcessHandle.of(Long.parseLong(parts[2])).map(p -> !p.isAlive()).orElse(true)) {
                    dropDatabase(statement, name);
                }
            }
        }
    }

    /** A new database with the schema Django migrates for the variant ({@code default} or {@code custom}). */
    public ServerDatabase create(String variant) {
        return create(variant, Map.of());
    }

    /**
     * A new database with the schema Django migrates for the variant and extra settings (say
     * {@code DJANGO_EXTRA_APPS}, which shifts content-type and permission ids).
     */
    public ServerDatabase create(String variant, Map<String, String> settings) {
        require();
        String template = templates.computeIfAbsent(variant + settings, key -> migrateTemplate(variant, settings));
        String name = prefix + counter.incrementAndGet();
        admin(statement -> copyDatabase(statement, template, name), name);
        return new ServerDatabase(this, name);
    }

    /** A new empty database (for Django to migrate itself). */
    public ServerDatabase createEmpty() {
        require();
        String name = prefix + counter.incrementAndGet();
        admin(statement -> createDatabase(statement, name), name);
        return new ServerDatabase(this, name);
    }

    private String migrateTemplate(String variant, Map<String, String> settings) {
        String name = prefix + "template_" + counter.incrementAndGet();
        admin(statement -> createDatabase(statement, name), name);
        Map<String, String> env = new LinkedHashMap<>(settings);
        env.put("DJANGO_USER_VARIANT", variant);
        django(new ServerDatabase(this, name), env, List.of(djangoProject().resolve("manage.py").toString(), "migrate", "-v", "0"));
        return name;
    }

    private interface AdminAction {
        void run(Statement statement) throws SQLException;
    }

    private synchronized void admin(AdminAction action, String database) {
        try (Connection connection = connect(null); Statement statement = connection.createStatement()) {
            created.add(database);
            action.run(statement);
        } catch (SQLException e) {
            throw new IllegalStateException("creating " + database + ": " + e.getMessage(), e);
        }
    }

    /**
     * Drops a test database now rather than when the JVM ends, if it can: a property that makes one per try keeps
     * the end of the run short (the JVM must end within surefire's 30 seconds). When the server refuses (say,
     * PostgreSQL's autovacuum is at work in it, which the test role may not interrupt), the database is left for
     * the shutdown hook.
     */
    synchronized void drop(String database) {
        try (Connection connection = connect(null); Statement statement = connection.createStatement()) {
            dropDatabase(statement, database);
            created.remove(database);
        } catch (SQLException e) {
            // Dropped when the JVM ends, or by the next run's clean-up of stale databases.
        }
    }

    private synchronized void dropAll() {
        try (Connection connection = connect(null); Statement statement = connection.createStatement()) {
            for (int i = created.size() - 1; i >= 0; i--) {
                dropDatabase(statement, created.get(i));
            }
        } catch (SQLException e) {
            System.err.println("could not drop test databases " + created + ": " + e.getMessage());
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
    public String django(ServerDatabase database, Map<String, String> extraEnv, List<String> arguments) {
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
                        + "\nstderr:\n" + err + "\n(" + howToStart() + ")");
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
    public String djangoSnippet(ServerDatabase database, String code) {
        String setup = "import django\ndjango.setup()\n";
        return django(database, Map.of(), List.of("-c", setup + code));
    }
}
