package io.djangouserbackup.junit.cases;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.djangouserbackup.junit.RestoreBackup;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/** Run by DjangoBackupExtensionTest with parallel execution on: each test writes to its own database. */
@RestoreBackup("fixtures/two-users.json")
@Execution(ExecutionMode.CONCURRENT)
public class ParallelCase {

    /** The database files the tests saw, for the test of this case. */
    public static final Set<Path> FILES = ConcurrentHashMap.newKeySet();
    /** The threads the tests ran on. */
    public static final Set<String> THREADS = ConcurrentHashMap.newKeySet();

    @RepeatedTest(12)
    void eachTestAddsOneUserToItsOwnDatabase(Connection connection, Path file, RepetitionInfo repetition)
            throws SQLException, InterruptedException {
        FILES.add(file);
        THREADS.add(Thread.currentThread().getName());
        Counts.execute(connection, "INSERT INTO auth_user (password, is_superuser, username, first_name, last_name, "
                + "email, is_staff, is_active, date_joined) VALUES ('!', 0, 'user" + repetition.getCurrentRepetition()
                + "', '', '', '', 0, 1, '2024-01-01 00:00:00')");
        Thread.sleep(50);
        assertEquals(3, Counts.users(connection));
    }
}
