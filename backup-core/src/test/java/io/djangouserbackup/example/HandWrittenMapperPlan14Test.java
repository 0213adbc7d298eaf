package io.djangouserbackup.example;

import static org.assertj.core.api.Assertions.assertThat;

import io.djangouserbackup.core.BackupSource;
import io.djangouserbackup.core.DjangoDatabase;
import io.djangouserbackup.core.Exporter;
import io.djangouserbackup.core.ImportMode;
import io.djangouserbackup.core.ImportPlan;
import io.djangouserbackup.core.ImportReport;
import io.djangouserbackup.core.ImportResult;
import io.djangouserbackup.core.Importer;
import io.djangouserbackup.core.RowChange;
import io.djangouserbackup.core.SectionCounts;
import io.djangouserbackup.core.TestDatabases;
import io.djangouserbackup.core.spi.MapperContext;
import io.djangouserbackup.core.spi.RowAction;
import io.djangouserbackup.core.spi.SectionRun;
import io.djangouserbackup.core.spi.Table;
import io.djangouserbackup.core.spi.TableMapper;
import io.djangouserbackup.model.Row;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 for a mapper written against the spi: a section that says what its rows are keyed by
 * ({@link SectionRun#matchKey}) gets an exact plan like the built-in ones; one that does not has every row the
 * target holds counted as an update, never as unchanged without being compared.
 */
class HandWrittenMapperPlan14Test {
    @TempDir
    Path dir;

    /** {@link HandWrittenMapper11Test.NicknameMapper}, whose rows are keyed by {@code user_id}, saying so. */
    static final class KeyedNicknames implements TableMapper {
        private final TableMapper nicknames = new HandWrittenMapper11Test.NicknameMapper();

        @Override
        public String section() {
            return nicknames.section();
        }

        @Override
        public List<String> dependsOn() {
            return nicknames.dependsOn();
        }

        @Override
        public SectionRun start(MapperContext context) {
            SectionRun run = nicknames.start(context);
            return new SectionRun() {
                @Override
                public Object matchKey(Row row) {
                    return row.get("user_id");
                }

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

    private Path database(String name) {
        Path db = TestDatabases.create(dir, name, TestDatabases.AUTH_USER);
        TestDatabases.execute(db, "CREATE TABLE nickname (user_id integer NOT NULL PRIMARY KEY REFERENCES auth_user (id),"
                + " nick varchar(20) NOT NULL, granted_permission_id integer NOT NULL REFERENCES auth_permission (id))");
        return db;
    }

    @Test
    void aSectionThatSaysItsKeyIsCountedExactly() {
        Path source = database("source.sqlite3");
        TestDatabases.insertUser(source, 3, "carol", "x");
        TestDatabases.insertUser(source, 4, "dave", "y");
        TestDatabases.execute(source, "INSERT INTO nickname SELECT u.id, 'nick' || u.id, p.id FROM auth_user u, auth_permission p"
                + " WHERE p.codename = 'view_user'");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Exporter.of(DjangoDatabase.sqlite(source).withMapper(new KeyedNicknames())).exportTo(out);
        BackupSource backup = BackupSource.of(out.toByteArray());
        Path target = database("target.sqlite3");
        Importer keyed = Importer.of(DjangoDatabase.sqlite(target).withMapper(new KeyedNicknames()));
        keyed.importFrom(backup);
        TestDatabases.execute(target, "UPDATE nickname SET nick = 'renamed' WHERE user_id = 4");

        ImportPlan plan = keyed.withMode(ImportMode.REPLACE).plan(backup);
        ImportReport report = keyed.report(backup);
        ImportPlan unkeyed = Importer.of(DjangoDatabase.sqlite(target).withMapper(new HandWrittenMapper11Test.NicknameMapper()))
                .plan(backup);
        ImportResult result = keyed.importFrom(backup);

        assertThat(plan.section("nicknames")).isEqualTo(new SectionCounts(2, 0, 1, 1, 0));
        assertThat(report.rows()).filteredOn(r -> r.section().equals("nicknames")).extracting(RowChange::key,
                RowChange::change, RowChange::changedFields).containsExactly(
                        org.assertj.core.groups.Tuple.tuple(3L, RowChange.Change.UNCHANGED, List.of()),
                        org.assertj.core.groups.Tuple.tuple(4L, RowChange.Change.UPDATED, List.of("nick")));
        assertThat(result.section("nicknames")).isEqualTo(report.plan().section("nicknames"));
        assertThat(unkeyed.section("nicknames")).isEqualTo(new SectionCounts(2, 0, 2, 0, 0));
        assertThat(keyed.plan(backup).section("nicknames")).isEqualTo(new SectionCounts(2, 0, 0, 2, 0));
    }
}
