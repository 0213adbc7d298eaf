package io.djangouserbackup.core;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Every row of every table with each value's SQLite storage class, as text: equal dumps mean equal contents. */
final class TableDump {
    private TableDump() {
    }

    static String of(Path db) {
        StringBuilder dump = new StringBuilder();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + db);
             Statement statement = connection.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            for (String table : tables) {
                dump.append("table ").append(table).append('\n');
                try (ResultSet rs = statement.executeQuery("SELECT * FROM \"" + table + "\" ORDER BY rowid")) {
                    int columns = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        for (int i = 1; i <= columns; i++) {
                            Object value = rs.getObject(i);
                            dump.append(value == null ? "null" : value.getClass().getSimpleName() + ":" + value).append('|');
                        }
                        dump.append('\n');
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return dump.toString();
    }
}
