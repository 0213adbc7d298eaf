/**
 * JUnit 5 support for tests that start from known Django users, groups and permissions:
 * {@link io.djangouserbackup.junit.RestoreBackup} restores backups before each test (into a fresh SQLite database
 * per test by default), and {@link io.djangouserbackup.junit.DatabaseExpectation} compares a database with an
 * expected backup afterwards, row by row and field by field, never showing a password hash.
 */
package io.djangouserbackup.junit;
