package io.djangouserbackup.core;

import io.djangouserbackup.core.internal.MysqlDialect;
import io.djangouserbackup.core.internal.PostgresDialect;
import io.djangouserbackup.core.internal.SectionOrder;
import io.djangouserbackup.core.internal.ServerDialect;
import io.djangouserbackup.core.internal.SqliteDialect;
import io.djangouserbackup.core.mappers.GroupsMapper;
import io.djangouserbackup.core.mappers.IncludedTables;
import io.djangouserbackup.core.mappers.ModelTableMapper;
import io.djangouserbackup.core.mappers.PermissionsMapper;
import io.djangouserbackup.core.mappers.UsersMapper;
import io.djangouserbackup.core.spi.Dialect;
import io.djangouserbackup.core.spi.MapperContext;
import io.djangouserbackup.core.spi.TableMapper;
import io.djangouserbackup.model.Sections;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Handles;
import org.jdbi.v3.core.Jdbi;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;
import org.sqlite.SQLiteOpenMode;

/**
 * A Django database and what to back up from it: immutable, safe to share; each {@code with...} returns a copy.
 *
 * <pre>{@code
 * DjangoDatabase db = DjangoDatabase.sqlite(Path.of("db.sqlite3"))
 *         .withUserTable("accounts_user");          // only needed when it cannot be found
 * }</pre>
 *
 * <p>A database file is never created: a path that does not exist is an error, not an empty database.
 *
 * <p>PostgreSQL and MySQL/MariaDB are reached by JDBC URL or through {@link DatabaseUrls}
 * ({@code postgres://user:pass@host:5432/db}, {@code mysql://user:pass@host:3306/db}):
 *
 * <pre>{@code
 * DjangoDatabase db = DjangoDatabase.jdbc("jdbc:postgresql://localhost:5432/app")
 *         .withCredentials("app", System.getenv("PGPASSWORD"));
 * DjangoDatabase my = DjangoDatabase.jdbc("jdbc:mariadb://localhost:3306/app")
 *         .withCredentials("app", System.getenv("MYSQL_PWD"));
 * }</pre>
 */
public final class DjangoDatabase {

    private final String url;
    private final Dialect dialect;
    private final String userTable;
    private final TableMapper openAiModels;
    private final List<TableMapper> extraMappers;
    private final Duration lockTimeout;
    private final String user;
    private final String password;
    private final List<String> includedTables;
    private final boolean allUserTables;
    private final String label;

    private DjangoDatabase(String url, Dialect dialect, String userTable, TableMapper openAiModels,
                           List<TableMapper> extraMappers, Duration lockTimeout) {
        this(url, dialect, userTable, openAiModels, extraMappers, lockTimeout, null, null, null);
    }

    private DjangoDatabase(String url, Dialect dialect, String userTable, TableMapper openAiModels,
                           List<TableMapper> extraMappers, Duration lockTimeout, String user, String password,
                           String label) {
        this(url, dialect, userTable, openAiModels, extraMappers, lockTimeout, user, password, List.of(), false, label);
    }

    private DjangoDatabase(String url, Dialect dialect, String userTable, TableMapper openAiModels,
                           List<TableMapper> extraMappers, Duration lockTimeout, String user, String password,
                           List<String> includedTables, boolean allUserTables, String label) {
        this.includedTables = List.copyOf(includedTables);
        this.allUserTables = allUserTables;
        this.label = label;
        this.user = user;
        this.password = password;
        this.url = url;
        this.dialect = dialect;
        this.userTable = userTable;
        this.openAiModels = openAiModels;
        this.extraMappers = List.copyOf(extraMappers);
        this.lockTimeout = lockTimeout;
    }

    /** The SQLite database file Django uses ({@code db.sqlite3}). */
    public static DjangoDatabase sqlite(Path file) {
        Objects.requireNonNull(file, "file");
        return jdbc("jdbc:sqlite:" + file);
    }

    /**
     * A database by JDBC URL: {@code jdbc:sqlite:PATH}, {@code jdbc:postgresql://HOST[:PORT]/NAME} or
     * {@code jdbc:mariadb://HOST[:PORT]/NAME} (also {@code jdbc:mysql:}, for MySQL or MariaDB); the URL
     * chooses the driver and the dialect. Credentials may be in the URL ({@code ?user=...&password=...}) or
     * given with {@link #withCredentials(String, String)}.
     *
     * @throws IncompatibleDatabaseException for an engine this version does not support
     */
    public static DjangoDatabase jdbc(String url) {
        Objects.requireNonNull(url, "url");
        Duration lockTimeout = Duration.ofSeconds(10);
        Dialect dialect;
        if (url.startsWith("jdbc:sqlite:")) {
            dialect = new SqliteDialect();
        } else if (url.startsWith("jdbc:postgresql:")) {
            dialect = new PostgresDialect(lockTimeout);
        } else if (url.startsWith("jdbc:mariadb:") || url.startsWith("jdbc:mysql:")) {
            dialect = new MysqlDialect(lockTimeout);
        } else {
            // Only the scheme: other drivers spell credentials in ways redact() does not know (Oracle's user/password@).
            java.util.regex.Matcher scheme = java.util.regex.Pattern.compile("^jdbc:[A-Za-z0-9+.-]*:?").matcher(url);
            throw new IncompatibleDatabaseException("unsupported database URL " + (scheme.find() ? scheme.group() + "..." : "")
                    + " (jdbc:sqlite:, jdbc:postgresql:, jdbc:mariadb: and jdbc:mysql: are supported)");
        }
        return new DjangoDatabase(url, dialect, null, ModelTableMapper.openAiModels(), List.of(), lockTimeout);
    }

    /**
     * The user name and password for a database server (ignored for SQLite). Either may be null to use what the
     * URL says. Read the password from the environment or a file, never from a command line other users can see.
     */
    public DjangoDatabase withCredentials(String user, String password) {
        return new DjangoDatabase(url, dialect, userTable, openAiModels, extraMappers, lockTimeout,
                user == null ? this.user : user, password == null ? this.password : password, includedTables, allUserTables, label);
    }

    /** Whether this is a database server (PostgreSQL, MySQL/MariaDB) rather than a file, i.e. credentials may be needed. */
    public boolean isServer() {
        return !(dialect instanceof SqliteDialect);
    }

    /**
     * The environment variable that the engine's own client reads a password from ({@code PGPASSWORD} for PostgreSQL,
     * {@code MYSQL_PWD} for MySQL/MariaDB), or null for a file database. This library does not read it itself: a
     * caller that wants the client's behaviour passes its value to {@link #withCredentials}.
     */
    public String passwordVariable() {
        return dialect instanceof ServerDialect server ? server.passwordVariable() : null;
    }

    /** Whether a password was given with {@link #withCredentials} or in the URL. */
    public boolean hasPassword() {
        return password != null || url.matches("(?i).*[?&;]password=.*");
    }

    /** Names the user table ({@code AUTH_USER_MODEL}'s table) instead of finding it. */
    public DjangoDatabase withUserTable(String table) {
        return new DjangoDatabase(url, dialect, SqliteDialect.checkIdentifier(table), openAiModels, extraMappers, lockTimeout,
                user, password, includedTables, allUserTables, label);
    }

    /** Names the OpenAI model table instead of finding it by its {@code _openaimodel} suffix. */
    public DjangoDatabase withOpenAiModelTable(String table) {
        return new DjangoDatabase(url, dialect, userTable, ModelTableMapper.openAiModels(table), extraMappers, lockTimeout,
                user, password, includedTables, allUserTables, label);
    }

    /**
     * Adds a section for one more table; it comes after the sections it depends on.
     *
     * @throws IllegalArgumentException when another mapper has the section already, its name is one of the
     *                                  backup's own fields ({@code format_version}, {@code sha256}, ...), or the
     *                                  sections' dependencies form a cycle
     */
    public DjangoDatabase withMapper(TableMapper mapper) {
        List<TableMapper> more = new ArrayList<>(extraMappers);
        more.add(Objects.requireNonNull(mapper, "mapper"));
        builtInMappers(openAiModels, more);
        return new DjangoDatabase(url, dialect, userTable, openAiModels, more, lockTimeout, user, password, includedTables, allUserTables, label);
    }

    /**
     * Adds tables to the backup as sections of their own, named after them ({@code export --table}), each found in
     * the database when the export starts: every column as stored, rows by primary key, foreign keys to users,
     * groups, permissions, content types, the OpenAI models and other included tables checked on import, and
     * permissions and content types written as natural keys. The backup describes them in its header, so an
     * import needs no such option.
     *
     * @throws IllegalArgumentException for a name that is not a plain identifier
     */
    public DjangoDatabase withTables(List<String> tables) {
        List<String> more = new ArrayList<>(includedTables);
        for (String table : tables) {
            String checked = SqliteDialect.checkIdentifier(table);
            if (!more.contains(checked)) {
                more.add(checked);
            }
        }
        return new DjangoDatabase(url, dialect, userTable, openAiModels, extraMappers, lockTimeout, user, password, more,
                allUserTables, label);
    }

    /**
     * Whether to add every table tied to users ({@code export --all-user-tables}): every table with a foreign key
     * to the user table, directly, through a many-to-many table or through another included table, except
     * {@code django_admin_log} and {@code django_session}. See {@link #withTables(List)}.
     */
    public DjangoDatabase withAllUserTables(boolean allUserTables) {
        return new DjangoDatabase(url, dialect, userTable, openAiModels, extraMappers, lockTimeout, user, password,
                includedTables, allUserTables, label);
    }

    /** The tables named with {@link #withTables(List)}. */
    public List<String> includedTables() {
        return includedTables;
    }

    /** Whether {@link #withAllUserTables(boolean)} was asked for. */
    public boolean allUserTables() {
        return allUserTables;
    }

    /**
     * The mappers of one export: {@link #mappers()} and those of the included tables, found with the run's
     * connection, in dependency order.
     */
    List<TableMapper> mappersFor(MapperContext context) {
        if (includedTables.isEmpty() && !allUserTables) {
            return mappers();
        }
        List<TableMapper> extra = new ArrayList<>(extraMappers);
        extra.addAll(IncludedTables.discover(context, includedTables, allUserTables));
        try {
            return builtInMappers(openAiModels, extra);
        } catch (IllegalArgumentException e) {
            throw new IncompatibleDatabaseException("the included tables cannot be backed up: " + e.getMessage());
        }
    }

    /** How long to wait for another connection's lock before giving up; 10 seconds unless set. */
    public DjangoDatabase withLockTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        Dialect withTimeout = dialect instanceof ServerDialect server ? server.withLockTimeout(timeout) : dialect;
        return new DjangoDatabase(url, withTimeout, userTable, openAiModels, extraMappers, timeout, user, password, includedTables, allUserTables, label);
    }

    /**
     * The mappers in document order: each after the sections it depends on ({@link TableMapper#dependsOn()}),
     * otherwise the built-in sections, then added ones in the order they were added. Imports remove rows in the
     * reverse order.
     */
    public List<TableMapper> mappers() {
        return builtInMappers(openAiModels, extraMappers);
    }

    /** Top-level fields that are not sections: a mapper may not take their names. */
    private static final java.util.Set<String> RESERVED_FIELDS = java.util.Set.of("format_version", "export_date",
            "django_version", "engine", "sections", "sha256");

    static List<TableMapper> builtInMappers(TableMapper openAiModels, List<TableMapper> extra) {
        List<TableMapper> all = new ArrayList<>(List.of(new PermissionsMapper(), new GroupsMapper(), new UsersMapper(), openAiModels));
        for (TableMapper mapper : extra) {
            if (RESERVED_FIELDS.contains(mapper.section())) {
                throw new IllegalArgumentException("section name " + mapper.section() + " is a field of the backup itself");
            }
            if (all.stream().anyMatch(m -> m.section().equals(mapper.section()))) {
                throw new IllegalArgumentException("two mappers for section " + mapper.section());
            }
            all.add(mapper);
        }
        return SectionOrder.sort(all);
    }

    /** The sections every backup must have. */
    static List<String> requiredSections() {
        return List.of(Sections.PERMISSIONS, Sections.GROUPS, Sections.USERS, Sections.OPENAI_MODELS);
    }

    /** The configured user table, or null to find it. */
    String userTable() {
        return userTable;
    }

    /** The user name given with {@link #withCredentials}, or null. */
    String user() {
        return user;
    }

    /** The password given with {@link #withCredentials}, or null; never printed. */
    String password() {
        return password;
    }

    Dialect dialect() {
        return dialect;
    }

    /**
     * A description for messages: the one given with {@link #withDescription}, else the JDBC URL with any password
     * hidden.
     */
    public String description() {
        return label != null ? label : redact(url);
    }

    /**
     * The same database, named in messages as its user knows it (a path, a Django URL without its password, and
     * where it came from) instead of by its JDBC URL. Never put a password in it.
     */
    public DjangoDatabase withDescription(String description) {
        return new DjangoDatabase(url, dialect, userTable, openAiModels, extraMappers, lockTimeout, user, password,
                includedTables, allUserTables, Objects.requireNonNull(description, "description"));
    }

    /** Opens a connection; read-only for exports. */
    Handle open(boolean readOnly) {
        return open(readOnly, false);
    }

    /**
     * Opens a connection whose transactions take the write lock when they begin ({@code BEGIN IMMEDIATE} on SQLite),
     * waiting up to the lock timeout for it. An import reads before it writes; begun as a plain deferred
     * transaction, it would hold a read lock when it asks for the write lock, and SQLite answers a writer that is
     * waiting for that read lock to go with an immediate "database is locked" instead of waiting. A server
     * (PostgreSQL) locks rows as they are written and waits up to its own lock timeout.
     */
    Handle openForWriting() {
        return open(false, true);
    }

    private Handle open(boolean readOnly, boolean immediate) {
        try {
            Jdbi jdbi = dialect instanceof ServerDialect server ? Jdbi.create(server.driverUrl(url), serverProperties(server))
                    : Jdbi.create(sqliteDataSource(readOnly, immediate));
            // Exporter and Importer end every transaction themselves, partly on the raw connection (a failed
            // commit must stay open long enough to name the rows at fault).
            jdbi.getConfig(Handles.class).setForceEndTransactions(false);
            Handle handle = jdbi.open();
            try {
                dialect.configure(handle);
            } catch (RuntimeException e) {
                handle.close();
                throw e;
            }
            return handle;
        } catch (RuntimeException e) {
            throw new NotOpened("cannot open " + description() + ": " + rootMessage(e), e);
        }
    }

    private SQLiteDataSource sqliteDataSource(boolean readOnly, boolean immediate) {
        SQLiteConfig config = new SQLiteConfig();
        if (immediate) {
            config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        }
        config.resetOpenMode(SQLiteOpenMode.CREATE);
        if (readOnly) {
            config.resetOpenMode(SQLiteOpenMode.READWRITE);
            config.setOpenMode(SQLiteOpenMode.READONLY);
        }
        config.setBusyTimeout((int) Math.min(Integer.MAX_VALUE, lockTimeout.toMillis()));
        config.enforceForeignKeys(true);
        SQLiteDataSource dataSource = new SQLiteDataSource(config);
        dataSource.setUrl(url);
        return dataSource;
    }

    /** Connection properties for a server; the driver is the one registered for the URL. */
    private Properties serverProperties(ServerDialect server) {
        Properties properties = server.connectionProperties();
        if (user != null) {
            properties.setProperty("user", user);
        }
        if (password != null) {
            properties.setProperty("password", password);
        }
        return properties;
    }

    /** Whether the failure is another connection's lock that did not go away within the lock timeout. */
    boolean isLocked(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof java.sql.SQLException sql && dialect.isLockTimeout(sql)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the failure is the connection to the server going away. */
    boolean isConnectionLost(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof NotOpened) {
                // A connection never made was not lost: an unknown host or a refused login says so itself.
                return false;
            }
            if (cause instanceof java.sql.SQLException sql && dialect.isConnectionLost(sql)) {
                return true;
            }
        }
        return false;
    }

    /** The database could not be opened at all (SQLSTATE 08 too, but nothing was lost). */
    private static final class NotOpened extends DatabaseAccessException {
        private static final long serialVersionUID = 1L;

        NotOpened(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The one line for a connection that went away. */
    DatabaseAccessException connectionLost(Throwable e, String consequence) {
        return new DatabaseAccessException(description() + ": the connection to the server was lost; " + consequence, e);
    }

    /** The one line for a lock that outlasted the timeout. */
    DatabaseAccessException locked(Throwable e, String consequence) {
        String waited = java.math.BigDecimal.valueOf(lockTimeout.toMillis()).movePointLeft(3).stripTrailingZeros().toPlainString();
        return new DatabaseAccessException(description() + ": the database is locked by another connection; gave up after "
                + "waiting " + waited + " s; " + consequence, e);
    }

    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root instanceof java.net.UnknownHostException) {
            // Its message is the bare host name, which alone reads like nothing went wrong.
            return "unknown host " + root.getMessage();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    private static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***").replaceAll("//([^:/@]+):[^@/]*@", "//$1:***@");
    }
}
