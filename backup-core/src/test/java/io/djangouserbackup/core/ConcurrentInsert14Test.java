package io.djangouserbackup.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.djangouserbackup.core.mappers.ModelTableMapper;
import io.djangouserbackup.core.spi.MapperContext;
import io.djangouserbackup.core.spi.RowAction;
import io.djangouserbackup.core.spi.SectionRun;
import io.djangouserbackup.core.spi.Table;
import io.djangouserbackup.core.spi.TableMapper;
import io.djangouserbackup.model.Row;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, found by the concurrent-writer test on MariaDB: between the check pass and the write, another program
 * commits a row with an id the backup creates (MySQL hands out ids past those an import inserts). The import must
 * fail with one line, never overwrite that row, as an upsert did.
 */
class ConcurrentInsert14Test {
    private static final ModelTableMapper PROBES = new ModelTableMapper("probes", "probe_item");

    /** The probes section, whose write begins once another connection has committed probe 2. */
    private record OtherWriterFirst(ServerDatabase db) implements TableMapper {
        @Override
        public String section() {
            return PROBES.section();
        }

        @Override
        public List<String> dependsOn() {
            return PROBES.dependsOn();
        }

        @Override
        public SectionRun start(MapperContext context) {
            SectionRun run = PROBES.start(context);
            return new SectionRun() {
                @Override
                public Table sourceTable() {
                    return run.sourceTable();
                }

                @Override
                public void exportRows(Consumer<Row> sink) {
                    run.exportRows(sink);
                }

                @Override
                public RowAction check(Row row, String place) {
                    return run.check(row, place);
                }

                @Override
                public long absentRows() {
                    return run.absentRows();
                }

                @Override
                public void beforeWrite() {
                    db.execute("INSERT INTO probe_item (id, name) VALUES (2, 'written by another program')");
                    run.beforeWrite();
                }

                @Override
                public void write(Row row, String place) {
                    run.write(row, place);
                }

                @Override
                public void afterWrite() {
                    run.afterWrite();
                }
            };
        }
    }

    private static void anotherProgramsRowIsNeverOverwritten(DatabaseServer server) {
        server.require();
        ServerDatabase source = server.create("default");
        ServerDatabase target = server.create("default");
        for (ServerDatabase db : List.of(source, target)) {
            db.execute("CREATE TABLE probe_item (id integer NOT NULL PRIMARY KEY, name varchar(50) NOT NULL)");
        }
        source.execute("INSERT INTO probe_item (id, name) VALUES (1, 'one'), (2, 'two')");
        String backup = ServerRoundTripTest.export(source.django().withMapper(PROBES));

        assertThatThrownBy(() -> ServerRoundTripTest.importInto(target.django().withMapper(new OtherWriterFirst(target)), backup,
                ImportMode.MERGE))
                .isInstanceOf(DatabaseAccessException.class)
                .hasMessageContaining(": a row with the same key appeared in the target after the backup was checked against it"
                        + " (another program writing?); nothing was imported");

        assertThat(target.queryString("SELECT name FROM probe_item WHERE id = 2")).isEqualTo("written by another program");
        assertThat(target.queryLong("SELECT count(*) FROM probe_item")).isEqualTo(1);
    }

    @Test
    void postgres() {
        anotherProgramsRowIsNeverOverwritten(PostgresServer.SERVER);
    }

    @Test
    void mariaDb() {
        anotherProgramsRowIsNeverOverwritten(MariaDbServer.SERVER);
    }
}
