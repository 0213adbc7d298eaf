package io.djangouserbackup.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the field or no-argument method of a test class whose {@code DjangoDatabase} is the target of
 * {@link RestoreBackup}, typically the PostgreSQL or MariaDB database the tests of a service run against. Static or
 * not, any visibility. Such a database is shared by the tests that use it.
 *
 * <pre>{@code
 * @TargetDatabase
 * static DjangoDatabase database = DjangoDatabase.jdbc("jdbc:postgresql://localhost/billing_test")
 *         .withCredentials("billing", System.getenv("PGPASSWORD"));
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.METHOD})
public @interface TargetDatabase {
}
