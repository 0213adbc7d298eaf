import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;

/** Prints the SQLite version bundled in sqlite-jdbc (for docs/BENCHMARKS.md): java -cp JAR bench/java/SqliteVersion.java */
public final class SqliteVersion {
    private SqliteVersion() {
    }

    public static void main(String[] args) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite::memory:");
             ResultSet rs = c.createStatement().executeQuery("SELECT sqlite_version()")) {
            rs.next();
            System.out.println("SQLite " + rs.getString(1) + " (sqlite-jdbc " + c.getMetaData().getDriverVersion() + ")");
        }
    }
}
