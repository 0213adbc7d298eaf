import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;

/**
 * Prints the SQLite version bundled in sqlite-jdbc (for docs/BENCHMARKS.md): java -cp JAR bench/java/SqliteVersion.java;
 * with --compile-options, its compile-time options one a line (bench/build-sqlite3.sh builds the reference's
 * sqlite3 with the same).
 */
public final class SqliteVersion {
    private SqliteVersion() {
    }

    public static void main(String[] args) throws Exception {
        boolean options = args.length > 0 && args[0].equals("--compile-options");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite::memory:");
             ResultSet rs = c.createStatement().executeQuery(options ? "PRAGMA compile_options" : "SELECT sqlite_version()")) {
            if (options) {
                while (rs.next()) {
                    System.out.println(rs.getString(1));
                }
                return;
            }
            rs.next();
            System.out.println("SQLite " + rs.getString(1) + " (sqlite-jdbc " + c.getMetaData().getDriverVersion() + ")");
        }
    }
}
