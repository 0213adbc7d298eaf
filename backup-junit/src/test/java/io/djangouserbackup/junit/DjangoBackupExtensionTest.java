package io.djangouserbackup.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import io.djangouserbackup.junit.cases.FailingCase;
import io.djangouserbackup.junit.cases.ParallelCase;
import io.djangouserbackup.junit.cases.RestoreEachTimeCase;
import io.djangouserbackup.junit.cases.ServerTargetCase;
import io.djangouserbackup.junit.cases.TargetDatabaseCase;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/** Tests of the extension: test classes that use it ({@code cases}), run by JUnit's {@link EngineTestKit}. */
class DjangoBackupExtensionTest {

    @Test
    void everyTestStartsFromTheFixture() {
        Events events = run(RestoreEachTimeCase.class);
        events.assertStatistics(stats -> stats.started(4).succeeded(4).failed(0));
    }

    @Test
    void parallelTestsEachHaveTheirOwnDatabase() {
        ParallelCase.FILES.clear();
        EngineTestKit.engine("junit-jupiter")
                .configurationParameter("junit.jupiter.execution.parallel.enabled", "true")
                .configurationParameter("junit.jupiter.execution.parallel.config.strategy", "fixed")
                .configurationParameter("junit.jupiter.execution.parallel.config.fixed.parallelism", "4")
                .selectors(selectClass(ParallelCase.class)).execute()
                .testEvents().assertStatistics(stats -> stats.started(12).succeeded(12).failed(0));
        assertThat(ParallelCase.FILES).hasSize(12);
        assertThat(ParallelCase.THREADS).hasSizeGreaterThan(1);
        // Each test's database is deleted after it.
        assertThat(ParallelCase.FILES).noneMatch(Files::exists);
    }

    @Test
    void aNamedDatabaseIsRestoredInPlace() {
        run(TargetDatabaseCase.class).assertStatistics(stats -> stats.started(2).succeeded(2).failed(0));
    }

    @Test
    void aDatabaseOnPostgresqlOrMariaDbIsRestoredBeforeEachTest() throws Exception {
        try {
            run(ServerTargetCase.Postgres.class).assertStatistics(stats -> stats.started(2).succeeded(2).failed(0));
            run(ServerTargetCase.MariaDb.class).assertStatistics(stats -> stats.started(2).succeeded(2).failed(0));
        } finally {
            ServerTargetCase.dropAll();
        }
    }

    @Test
    void aMissingFixtureFailsTheTestWithThePlaceOfTheAnnotation() {
        String message = failure("missingFixture");
        assertThat(message).contains("@RestoreBackup on " + FailingCase.class.getName() + ".missingFixture()")
                .contains("fixtures/no-such-fixture.json: no such classpath resource");
    }

    @Test
    void aTamperedFixtureFailsWithItsNameAndTheReason() {
        String message = failure("tamperedFixture");
        assertThat(message).contains("@RestoreBackup on " + FailingCase.class.getName() + ".tamperedFixture()")
                .contains("fixtures/tampered.json could not be restored").containsIgnoringCase("sha256")
                .doesNotContain("pbkdf2");
    }

    @Test
    void aDifferingDatabaseListsRowsAndFieldsButNoPasswordHash() {
        String message = failure("databaseDiffersFromTheExpectation");
        assertThat(message).contains("does not match fixtures/two-users.json: 3 rows differ")
                .containsPattern("users:\\n")
                .containsPattern("differs +id 1 alice: (password, email|email, password)")
                .containsPattern("missing +id 2 bob")
                .containsPattern("unexpected +id 9 zed")
                .doesNotContain("pbkdf2").doesNotContain("AAAA").doesNotContain("elsewhere");
    }

    @Test
    void ignoredColumnsAndRowsNotInTheExpectationPass() {
        assertThat(failure("ignoredColumnsAndExtraRowsPass")).isEqualTo("passed: the expectation held");
    }

    private static Events run(Class<?> type) {
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(type)).execute().testEvents();
    }

    private static String failure(String method) {
        Events events = EngineTestKit.engine("junit-jupiter").selectors(selectMethod(FailingCase.class,
                        java.util.Arrays.stream(FailingCase.class.getDeclaredMethods())
                                .filter(m -> m.getName().equals(method)).findFirst().orElseThrow()))
                .execute().testEvents();
        events.assertStatistics(stats -> stats.started(1).failed(1));
        Throwable thrown = events.failed().stream().findFirst().orElseThrow()
                .getPayload(TestExecutionResult.class).orElseThrow().getThrowable().orElseThrow();
        return thrown.getMessage();
    }
}
