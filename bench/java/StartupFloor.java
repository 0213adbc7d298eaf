import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.OutputStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteOpenMode;

/**
 * The start-up floor for issue 15's launcher target: what the JVM and the libraries our export cannot do without
 * take before any of our code runs. bench/run.sh runs it with the launcher's JVM options (serial GC, the same young
 * generation, a class-data-sharing archive of its own made by a first run, SQLite's library unpacked), so the
 * only difference from the launcher's figure is our tool's own work.
 *
 *     java -cp django-user-backup.jar:classes StartupFloor            the JVM starts and exits (empty main)
 *     java -cp django-user-backup.jar:classes StartupFloor DB.sqlite3 sqlite-jdbc opens DB read-only with our
 *                                                                     pragmas, and Jackson writes auth_user's rows
 *                                                                     to standard output as JSON
 */
public final class StartupFloor {
    private StartupFloor() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            return;
        }
        SQLiteConfig config = new SQLiteConfig();
        config.resetOpenMode(SQLiteOpenMode.CREATE);
        config.resetOpenMode(SQLiteOpenMode.READWRITE);
        config.setOpenMode(SQLiteOpenMode.READONLY);
        config.enforceForeignKeys(true);
        config.setCacheSize(-65536);
        OutputStream out = System.out;
        try (Connection connection = config.createConnection("jdbc:sqlite:" + args[0]);
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT * FROM auth_user ORDER BY id");
             JsonGenerator json = new JsonFactory().createGenerator(out)) {
            ResultSetMetaData columns = rows.getMetaData();
            json.writeStartArray();
            while (rows.next()) {
                json.writeStartObject();
                for (int i = 1; i <= columns.getColumnCount(); i++) {
                    json.writeFieldName(columns.getColumnName(i));
                    Object value = rows.getObject(i);
                    if (value == null) {
                        json.writeNull();
                    } else if (value instanceof Number number) {
                        json.writeNumber(number.toString());
                    } else {
                        json.writeString(value.toString());
                    }
                }
                json.writeEndObject();
            }
            json.writeEndArray();
        }
    }
}
