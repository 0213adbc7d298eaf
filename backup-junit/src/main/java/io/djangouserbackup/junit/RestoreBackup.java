package io.djangouserbackup.junit;

import io.djangouserbackup.core.ImportMode;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Restores Django user backups before each test of the annotated class or method (a method's annotation replaces
 * its class's). The backups are restored in order: the first in {@link #mode()}, the others merged on top of it.
 *
 * <pre>{@code
 * @RestoreBackup("fixtures/users.json")
 * class BillingServiceTest {
 *     @Test
 *     void chargesActiveUsers(DataSource dataSource) { ... }
 * }
 * }</pre>
 *
 * <p>The target is, in this order: the database of {@link #database()}; the {@code DjangoDatabase} of a field or
 * method marked {@link TargetDatabase}; or, by default, a new SQLite database for each test with Django's empty
 * schema ({@code DjangoSchema.authAndOpenAiModels()}), deleted after the test. A test can take the target as a
 * parameter: {@code DjangoDatabase}, {@code java.sql.Connection} (closed after the test),
 * {@code javax.sql.DataSource}, or {@code java.nio.file.Path} (the SQLite file; only for the default database).
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@ExtendWith(DjangoBackupExtension.class)
public @interface RestoreBackup {

    /**
     * The backups: classpath resources ({@code "fixtures/users.json"}, no leading slash needed) or files
     * ({@code "file:build/fixtures/users.json.gz"}, relative to the working directory); plain or gzip-compressed.
     */
    String[] value();

    /** How the first backup is restored; {@link ImportMode#REPLACE} by default (the target holds exactly the backup). */
    ImportMode mode() default ImportMode.REPLACE;

    /**
     * A database to restore into instead of a temporary one: a JDBC URL or a {@code DATABASE_URL}
     * ({@code postgres://user:pass@host/db}), as {@code DatabaseUrls.parse} reads it. Such a database is shared
     * by the tests that name it: it is not copied per test, so tests on it should not run in parallel.
     */
    String database() default "";
}
