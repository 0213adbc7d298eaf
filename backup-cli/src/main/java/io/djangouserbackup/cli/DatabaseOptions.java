package io.djangouserbackup.cli;

import io.djangouserbackup.core.IoReasons;
import com.beust.jcommander.Parameter;
import com.beust.jcommander.Parameters;
import io.djangouserbackup.core.DatabaseUrls;
import io.djangouserbackup.core.DjangoDatabase;
import io.djangouserbackup.core.IncompatibleDatabaseException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Which database a command works on: {@code --db}, {@code --url}, {@code DATABASE_URL}, or ./db.sqlite3. */
@Parameters(separators = "=")
final class DatabaseOptions {
    static final String DATABASE_URL = "DATABASE_URL";
    static final String DEFAULT_FILE = "db.sqlite3";
    static final String PGPASSWORD = "PGPASSWORD";
    static final String MYSQL_PWD = "MYSQL_PWD";

    @Parameter(names = "--db", description = "The Django SQLite database file. Without --db and --url: DATABASE_URL"
            + " if set, else ./db.sqlite3.", order = 10)
    String file;

    @Parameter(names = "--url", description = "The database as a URL, in Django's DATABASE_URL form"
            + " (sqlite:///relative/db.sqlite3, sqlite:////absolute/db.sqlite3, postgres://user@host:5432/name,"
            + " mysql://user@host:3306/name) or as JDBC (jdbc:sqlite:PATH, jdbc:postgresql://host:5432/name,"
            + " jdbc:mariadb://host:3306/name).",
            order = 11)
    String url;

    @Parameter(names = "--password-file", description = "A file whose first line is the database server's password"
            + " (else the URL's password, else the PGPASSWORD environment variable for PostgreSQL, MYSQL_PWD for"
            + " MySQL/MariaDB). Keeps the password off the command line.", order = 14)
    String passwordFile;

    @Parameter(names = "--user-table", description = "The user table (AUTH_USER_MODEL's db_table), when it cannot"
            + " be found.", order = 12)
    String userTable;

    @Parameter(names = "--model-table", description = "The OpenAI model table, when it cannot be found by its"
            + " _openaimodel suffix.", order = 13)
    String modelTable;

    /** The database the options name; a missing file is a database problem, conflicting options a usage one. */
    DjangoDatabase resolve(Env env) {
        if (file != null && url != null) {
            throw CliFailure.usage("give --db or --url, not both");
        }
        DjangoDatabase database;
        if (file != null) {
            database = sqliteFile(env.resolve(file), file).withDescription(file);
        } else if (url != null) {
            database = parseUrl(url, "--url", env).withDescription(withoutPassword(url.strip()));
        } else if (env.variable(DATABASE_URL) != null && !env.variable(DATABASE_URL).isBlank()) {
            String fromEnvironment = env.variable(DATABASE_URL).strip();
            database = parseUrl(fromEnvironment, DATABASE_URL, env)
                    .withDescription(withoutPassword(fromEnvironment) + " (from " + DATABASE_URL + ")");
        } else {
            Path path = env.resolve(DEFAULT_FILE);
            if (!Files.exists(path)) {
                throw new CliFailure(ExitCodes.DATABASE, "no database: there is no " + DEFAULT_FILE + " in "
                        + env.workingDirectory() + "; give --db PATH or --url URL, or set " + DATABASE_URL);
            }
            database = DjangoDatabase.sqlite(path).withDescription(path + " (from ./" + DEFAULT_FILE + ")");
        }
        database = withPassword(database, env);
        try {
            if (userTable != null) {
                database = database.withUserTable(userTable);
            }
            if (modelTable != null) {
                database = database.withOpenAiModelTable(modelTable);
            }
        } catch (IllegalArgumentException e) {
            throw new CliFailure(ExitCodes.USAGE, e.getMessage(), e);
        }
        return database;
    }

    /**
     * The server's password from --password-file, else the URL's, else the engine client's variable (PGPASSWORD as
     * libpq reads it, MYSQL_PWD as the mysql client reads it).
     */
    private DjangoDatabase withPassword(DjangoDatabase database, Env env) {
        if (!database.isServer()) {
            if (passwordFile != null) {
                throw CliFailure.usage("--password-file is for a database server; " + database.description() + " is a file");
            }
            return database;
        }
        if (passwordFile != null) {
            Path path = env.resolve(passwordFile);
            String password;
            try {
                password = Files.readAllLines(path, StandardCharsets.UTF_8).stream().findFirst().orElse("");
            } catch (IOException e) {
                throw CliFailure.usage("cannot read --password-file " + passwordFile + ": " + IoReasons.why(e));
            } catch (UncheckedIOException e) {
                throw CliFailure.usage("cannot read --password-file " + passwordFile + ": " + IoReasons.why(e.getCause()));
            }
            return database.withCredentials(null, password);
        }
        String fromEnvironment = env.variable(database.passwordVariable());
        if (!database.hasPassword() && fromEnvironment != null && !fromEnvironment.isEmpty()) {
            return database.withCredentials(null, fromEnvironment);
        }
        return database;
    }

    /**
     * The URL as the user gave it, without a password: {@code postgres://app:s3cret@db/app} becomes
     * {@code postgres://app@db/app}, and a {@code password=} option is left out.
     */
    static String withoutPassword(String url) {
        return url.replaceFirst("^([A-Za-z][A-Za-z0-9+.-]*://)([^:/@?#]*):[^@/?#]*@", "$1$2@")
                .replaceAll("(?i)([?&;])password=[^&;#]*&?", "$1")
                .replaceAll("[?&;]$", "");
    }

    private static DjangoDatabase sqliteFile(Path path, String asGiven) {
        // SQLite would create a missing file; an empty new database is never what a backup or restore meant.
        if (!Files.exists(path)) {
            throw new CliFailure(ExitCodes.DATABASE, "no such database file: " + asGiven);
        }
        if (Files.isDirectory(path)) {
            throw new CliFailure(ExitCodes.DATABASE, "the database is a folder, not a file: " + asGiven);
        }
        return DjangoDatabase.sqlite(path);
    }

    private static DjangoDatabase parseUrl(String url, String from, Env env) {
        try {
            return DatabaseUrls.parse(url, env.workingDirectory());
        } catch (IllegalArgumentException e) {
            throw new CliFailure(ExitCodes.USAGE, from + ": " + e.getMessage(), e);
        } catch (IncompatibleDatabaseException e) {
            throw new CliFailure(ExitCodes.DATABASE, from + ": " + e.getMessage(), e);
        }
    }
}
