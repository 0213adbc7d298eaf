package io.djangouserbackup.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.djangouserbackup.model.Sections;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 for tables added with {@code export --table}: the plan counts their rows exactly, a many-to-many link
 * as a change of its owner row, and agrees with the dry run and with what the import reports.
 */
class IncludedTablesPlan14Test {
    @TempDir
    Path dir;

    @Test
    void thePlanOfAddedTablesCountsUnchangedAndUpdatedRowsExactly() {
        Path source = MoreTables.source(dir, "source.sqlite3", TestDatabases.AUTH_USER);
        String document = MoreTables11Test.export(DjangoDatabase.sqlite(source).withAllUserTables(true));
        BackupSource backup = BackupSource.of(document.getBytes(StandardCharsets.UTF_8));
        Path target = TestDatabases.create(dir, "target.sqlite3", TestDatabases.AUTH_USER_EXTRA_APPS);
        MoreTables.create(target);
        Importer importer = Importer.of(DjangoDatabase.sqlite(target));
        importer.importFrom(backup);

        for (ImportMode mode : ImportMode.values()) {
            ImportPlan restored = importer.withMode(mode).plan(backup);
            assertThat(restored.sections()).isNotEmpty().allSatisfy((section, counts) -> assertThat(counts).as(section)
                    .isEqualTo(new SectionCounts(counts.rows(), 0, 0, counts.rows(), 0)));
        }

        TestDatabases.execute(target, "UPDATE extras_profile SET bio = 'changed' WHERE user_id = 2");
        TestDatabases.execute(target, "DELETE FROM extras_project_members WHERE project_id = 11");
        TestDatabases.execute(target, "UPDATE authtoken_token SET created = '2025-01-01 00:00:00'");
        ImportPlan plan = importer.plan(backup);
        ImportReport report = importer.report(backup);
        ImportResult result = importer.importFrom(backup);

        assertThat(plan.section("extras_profile")).isEqualTo(new SectionCounts(2, 0, 1, 1, 0));
        assertThat(plan.section("extras_project")).isEqualTo(new SectionCounts(2, 0, 1, 1, 0));
        assertThat(plan.section("authtoken_token")).isEqualTo(new SectionCounts(1, 0, 1, 0, 0));
        assertThat(plan.section("account_emailaddress")).isEqualTo(new SectionCounts(2, 0, 0, 2, 0));
        assertThat(plan.section(Sections.USERS)).isEqualTo(new SectionCounts(2, 0, 0, 2, 0));
        assertThat(report.plan().sections()).isEqualTo(plan.sections());
        assertThat(result.sections()).isEqualTo(plan.sections());
        assertThat(report.rows()).filteredOn(r -> r.change() == RowChange.Change.UPDATED)
                .extracting(RowChange::section, RowChange::changedFields).containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("authtoken_token", List.of("created")),
                        org.assertj.core.groups.Tuple.tuple("extras_profile", List.of("bio")),
                        org.assertj.core.groups.Tuple.tuple("extras_project", List.of("members")));
        for (Map.Entry<String, SectionCounts> section : importer.plan(backup).sections().entrySet()) {
            assertThat(section.getValue().updated()).as(section.getKey()).isZero();
        }
    }
}
