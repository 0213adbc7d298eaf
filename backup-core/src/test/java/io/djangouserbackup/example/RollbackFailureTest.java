package io.djangouserbackup.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.djangouserbackup.core.BackupSource;
import io.djangouserbackup.core.DjangoDatabase;
import io.djangouserbackup.core.Exporter;
import io.djangouserbackup.core.Importer;
import io.djangouserbackup.core.spi.MapperContext;
import io.djangouserbackup.core.spi.RowAction;
import io.djangouserbackup.core.spi.SectionRun;
import io.djangouserbackup.core.spi.TableMapper;
import io.djangouserbackup.model.Row;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A failure that also breaks the connection (a server that dropped a half-read result, a JVM out of memory) makes the
 * rollback after it fail too. The failure that stopped the work is what the caller gets, with the rollback's failure
 * attached, never the other way round: an {@link OutOfMemoryError} must not be reported as a closed connection.
 */
class RollbackFailureTest {
    @TempDir
    Path dir;

    /** A section of one row whose export or write closes the connection under the library and then fails. */
    static final class BreakingMapper implements TableMapper {
        private final boolean breaks;

        BreakingMapper(boolean breaks) {
            this.breaks = breaks;
        }

        @Override
        public String section() {
            return "breaking";
        }

        @Override
        public SectionRun start(MapperContext context) {
            return new SectionRun() {
                @Override
                public void exportRows(Consumer<Row> sink) {
                    breakIfAsked();
                    sink.accept(Row.builder().put("id", 1L).build());
                }

                @Override
                public RowAction check(Row row, String place) {
                    return RowAction.CREATE;
                }

                @Override
                public void write(Row row, String place) {
                    breakIfAsked();
                }

                private void breakIfAsked() {
                    if (!breaks) {
                        return;
                    }
                    try {
                        context.handle().orElseThrow().getConnection().close();
                    } catch (SQLException e) {
                        throw new AssertionError(e);
                    }
                    throw new OutOfMemoryError("Java heap space (simulated)");
                }
            };
        }
    }

    private Path database() throws Exception {
        Path db = dir.resolve("db.sqlite3");
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + db);
             var statement = connection.createStatement()) {
            String schema = new String(RollbackFailureTest.class.getResourceAsStream("/django/auth-user.sql").readAllBytes());
            for (String line : schema.split(";\n")) {
                if (!line.isBlank()) {
                    statement.execute(line);
                }
            }
        }
        return db;
    }

    @Test
    void anExportReportsTheFailureNotTheRollbackThatFailedAfterIt() throws Exception {
        Path db = database();
        Exporter exporter = Exporter.of(DjangoDatabase.sqlite(db).withMapper(new BreakingMapper(true)));

        assertThatThrownBy(() -> exporter.exportTo(new ByteArrayOutputStream()))
                .isInstanceOf(OutOfMemoryError.class)
                .hasMessage("Java heap space (simulated)")
                .satisfies(e -> assertThat(e.getSuppressed()).isNotEmpty());
    }

    @Test
    void anImportReportsTheFailureNotTheRollbackThatFailedAfterItAndWritesNothing() throws Exception {
        Path db = database();
        ByteArrayOutputStream backup = new ByteArrayOutputStream();
        Exporter.of(DjangoDatabase.sqlite(db).withMapper(new BreakingMapper(false))).exportTo(backup);
        byte[] before = Files.readAllBytes(db);
        Importer importer = Importer.of(DjangoDatabase.sqlite(db).withMapper(new BreakingMapper(true)));

        assertThatThrownBy(() -> importer.importFrom(BackupSource.of(backup.toByteArray())))
                .isInstanceOf(OutOfMemoryError.class)
                .hasMessage("Java heap space (simulated)")
                .satisfies(e -> assertThat(e.getSuppressed()).isNotEmpty());
        assertThat(Files.readAllBytes(db)).isEqualTo(before);
    }
}
