package io.djangouserbackup.core;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Reads the database URLs Django projects already use: the {@code DATABASE_URL} form of dj-database-url, and
 * JDBC URLs.
 *
 * <pre>{@code
 * DjangoDatabase db = DatabaseUrls.parse(System.getenv("DATABASE_URL"));
 * }</pre>
 *
 * <p>As in dj-database-url, everything after the third slash is the file name, percent-decoded: three slashes
 * make a relative path, four an absolute one.
 * <ul>
 *   <li>{@code sqlite:///db.sqlite3}: {@code db.sqlite3}, relative to the working directory</li>
 *   <li>{@code sqlite:////srv/app/db.sqlite3}: {@code /srv/app/db.sqlite3}</li>
 *   <li>{@code sqlite:///db.sqlite3?timeout=20}: Django's {@code OPTIONS} {@code timeout} (seconds) becomes
 *       the lock timeout; other options do not change what is read and are ignored</li>
 *   <li>{@code jdbc:sqlite:db.sqlite3}: handed to {@link DjangoDatabase#jdbc(String)}</li>
 * </ul>
 * An in-memory database ({@code sqlite://}, {@code sqlite://:memory:}, or the common slip
 * {@code sqlite://db.sqlite3} with two slashes, which dj-database-url also reads as in-memory) has nothing to
 * back up and is refused.
 * <ul>
 *   <li>{@code postgres://user:pass@host:5432/db} (also {@code postgresql://}, {@code pgsql://},
 *       {@code postgis://}): PostgreSQL over TCP, host {@code localhost} and port 5432 when left out; user and
 *       password percent-decoded; the query string ({@code sslmode=require}, ...) is handed to the JDBC driver.
 *       A password can also be given later with {@link DjangoDatabase#withCredentials(String, String)}.</li>
 *   <li>{@code jdbc:postgresql://host:5432/db}: handed to {@link DjangoDatabase#jdbc(String)}</li>
 *   <li>{@code mysql://user:pass@host:3306/db} (also {@code mysql2://}, {@code mysqlgis://},
 *       {@code mysql-connector://}, {@code mariadb://}): MySQL or MariaDB over TCP, read like a postgres URL, with
 *       host {@code localhost} and port 3306 when left out; the query string goes to MariaDB's JDBC driver</li>
 *   <li>{@code jdbc:mariadb://host:3306/db}, {@code jdbc:mysql://host:3306/db}: handed to
 *       {@link DjangoDatabase#jdbc(String)}</li>
 * </ul>
 * The other engines dj-database-url knows (Oracle, ...) are refused as not supported. Messages name the URL's
 * scheme, never its user or password.
 */
public final class DatabaseUrls {

    /** dj-database-url's schemes for engines this version cannot read yet. */
    private static final Set<String> KNOWN_UNSUPPORTED = Set.of("mssql", "mssqlms", "spatialite", "oracle", "oraclegis",
            "redshift", "cockroach", "timescale", "timescalegis", "mongodb", "mongodb+srv");

    /** A database server engine: its URL schemes, JDBC scheme and default port. */
    private record Server(String label, Set<String> schemes, String jdbcScheme, int defaultPort) {
    }

    /** dj-database-url's schemes for Django's PostgreSQL backends (PostGIS keeps the same auth tables). */
    private static final Server POSTGRES = new Server("postgres", Set.of("postgres", "postgresql", "pgsql", "postgis"),
            "postgresql", 5432);

    /** dj-database-url's schemes for Django's MySQL backends, and {@code mariadb}; MariaDB's driver speaks to both. */
    private static final Server MYSQL = new Server("mysql", Set.of("mysql", "mysql2", "mysqlgis", "mysql-connector", "mariadb"),
            "mariadb", 3306);

    private DatabaseUrls() {
    }

    /**
     * The database a URL names; a relative SQLite path is relative to the process's working directory.
     *
     * @throws IllegalArgumentException      for a URL that is malformed, names no file, or has an unknown scheme
     * @throws IncompatibleDatabaseException for a database engine this version does not support yet
     */
    public static DjangoDatabase parse(String url) {
        return parse(url, null);
    }

    /**
     * The database a URL names, a relative SQLite path resolved against {@code workingDirectory}.
     *
     * @param workingDirectory the folder relative paths start from, as Django's would from its working directory;
     *                         {@code null} for the process's working directory
     * @throws IllegalArgumentException      for a URL that is malformed, names no file, or has an unknown scheme
     * @throws IncompatibleDatabaseException for a database engine this version does not support yet
     */
    public static DjangoDatabase parse(String url, Path workingDirectory) {
        Objects.requireNonNull(url, "url");
        String trimmed = url.strip();
        if (trimmed.regionMatches(true, 0, "jdbc:", 0, 5)) {
            return DjangoDatabase.jdbc(trimmed);
        }
        int colon = trimmed.indexOf(':');
        if (colon <= 0 || !trimmed.startsWith("//", colon + 1)) {
            throw new IllegalArgumentException("not a database URL (expected sqlite:///path/to/db.sqlite3)");
        }
        String scheme = trimmed.substring(0, colon).toLowerCase(Locale.ROOT);
        if (KNOWN_UNSUPPORTED.contains(scheme)) {
            throw new IncompatibleDatabaseException(scheme + " databases are not supported (only sqlite, postgres and mysql)");
        }
        for (Server server : List.of(POSTGRES, MYSQL)) {
            if (server.schemes().contains(scheme)) {
                return server(server, trimmed.substring(colon + 3));
            }
        }
        if (!scheme.equals("sqlite")) {
            throw new IllegalArgumentException("unknown database URL scheme '" + scheme + "' (expected sqlite, postgres or mysql)");
        }
        UrlRest parts = UrlRest.split(trimmed.substring(colon + 3));
        String path = parts.path();
        String name = percentDecode(path.isEmpty() ? "" : path.substring(1));
        if (name.isEmpty() || name.equals(":memory:")) {
            throw new IllegalArgumentException("the URL names an in-memory SQLite database, which holds nothing to back up"
                    + " (a file needs three slashes: sqlite:///db.sqlite3, or four for an absolute path)");
        }
        Path file = Path.of(name);
        if (workingDirectory != null) {
            file = workingDirectory.resolve(file);
        }
        DjangoDatabase database = DjangoDatabase.sqlite(file);
        Duration timeout = timeoutOption(parts.query());
        return timeout == null ? database : database.withLockTimeout(timeout);
    }

    /** {@code user:pass@host:port/name?options}, as urlsplit and dj-database-url read it. */
    private static DjangoDatabase server(Server server, String rest) {
        String label = server.label();
        UrlRest parts = UrlRest.split(rest);
        rest = parts.beforeQuery();
        String query = parts.query();
        int slash = rest.indexOf('/');
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        String name = slash < 0 ? "" : percentDecode(rest.substring(slash + 1));
        if (name.isEmpty() || name.contains("/")) {
            throw new IllegalArgumentException("the " + label + " URL names no database (expected " + label
                    + "://user:password@host:" + server.defaultPort() + "/name)");
        }
        String user = null;
        String password = null;
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            String userInfo = authority.substring(0, at);
            authority = authority.substring(at + 1);
            int colon = userInfo.indexOf(':');
            user = percentDecode(colon < 0 ? userInfo : userInfo.substring(0, colon));
            password = colon < 0 ? null : percentDecode(userInfo.substring(colon + 1));
            if (user.isEmpty()) {
                user = null;
            }
        }
        String host = authority;
        String port = "";
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("the " + label + " URL has a malformed host");
            }
            host = authority.substring(0, close + 1);
            port = authority.substring(close + 1);
            port = port.startsWith(":") ? port.substring(1) : port;
        } else {
            int colon = authority.lastIndexOf(':');
            if (colon >= 0) {
                host = authority.substring(0, colon);
                port = authority.substring(colon + 1);
            }
        }
        host = percentDecode(host);
        if (host.startsWith("/")) {
            throw new IllegalArgumentException("the " + label + " URL names a Unix socket; connect over TCP instead"
                    + " (" + label + "://user@localhost:" + server.defaultPort() + "/" + name + ")");
        }
        if (host.isEmpty()) {
            host = "localhost";
        }
        if (port.isEmpty()) {
            port = String.valueOf(server.defaultPort());
        } else if (!port.matches("\\d{1,5}")) {
            throw new IllegalArgumentException("the " + label + " URL's port is not a number");
        }
        String jdbc = "jdbc:" + server.jdbcScheme() + "://" + host + ":" + port + "/" + java.net.URLEncoder.encode(name, StandardCharsets.UTF_8)
                .replace("+", "%20") + (query.isEmpty() ? "" : "?" + query);
        DjangoDatabase database = DjangoDatabase.jdbc(jdbc);
        return user == null && password == null ? database : database.withCredentials(user, password);
    }

    /**
     * What follows {@code scheme://}, split as Python's urlsplit does: the part before the query (fragment dropped)
     * and the query.
     */
    private record UrlRest(String beforeQuery, String query) {
        static UrlRest split(String rest) {
            int fragment = rest.indexOf('#');
            if (fragment >= 0) {
                rest = rest.substring(0, fragment);
            }
            int question = rest.indexOf('?');
            return question < 0 ? new UrlRest(rest, "") : new UrlRest(rest.substring(0, question), rest.substring(question + 1));
        }

        /** The path, from the first slash on; the host part before it is ignored, as dj-database-url does for SQLite. */
        String path() {
            int slash = beforeQuery.indexOf('/');
            return slash < 0 ? "" : beforeQuery.substring(slash);
        }
    }

    /** Django passes {@code OPTIONS} to {@code sqlite3.connect}, whose {@code timeout} is the busy timeout. */
    private static Duration timeoutOption(String query) {
        Duration timeout = null;
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = percentDecode(eq < 0 ? pair : pair.substring(0, eq));
            if (!key.equals("timeout")) {
                continue;
            }
            String value = eq < 0 ? "" : percentDecode(pair.substring(eq + 1));
            double seconds;
            try {
                seconds = Double.parseDouble(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("timeout option is not a number of seconds: '" + value + "'");
            }
            if (!(seconds >= 0) || Double.isInfinite(seconds)) {
                throw new IllegalArgumentException("timeout option is not a number of seconds: '" + value + "'");
            }
            // The last value wins, as with parse_qs in dj-database-url.
            timeout = Duration.ofMillis(Math.round(seconds * 1000));
        }
        return timeout;
    }

    /** Python's {@code urllib.parse.unquote}: %XX sequences as UTF-8, '+' kept, malformed escapes kept. */
    private static String percentDecode(String text) {
        if (text.indexOf('%') < 0) {
            return text;
        }
        StringBuilder result = new StringBuilder(text.length());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '%' && i + 2 < text.length() && isHex(text.charAt(i + 1)) && isHex(text.charAt(i + 2))) {
                bytes.write(Integer.parseInt(text.substring(i + 1, i + 3), 16));
                i += 3;
                continue;
            }
            if (bytes.size() > 0) {
                result.append(bytes.toString(StandardCharsets.UTF_8));
                bytes.reset();
            }
            result.append(c);
            i++;
        }
        if (bytes.size() > 0) {
            result.append(bytes.toString(StandardCharsets.UTF_8));
        }
        return result.toString();
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
