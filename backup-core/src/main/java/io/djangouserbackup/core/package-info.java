/**
 * The public API: describe a database with {@link io.djangouserbackup.core.DjangoDatabase}, then
 * {@link io.djangouserbackup.core.Exporter#exportTo(java.nio.file.Path)} to take a backup and
 * {@link io.djangouserbackup.core.Importer#importFrom(BackupSource)} to restore one.
 *
 * <pre>{@code
 * DjangoDatabase db = DjangoDatabase.sqlite(Path.of("db.sqlite3"));
 * ExportResult exported = Exporter.of(db).exportTo(Path.of("backup.json"));
 * ImportResult imported = Importer.of(db).withMode(ImportMode.REPLACE).importFrom(BackupSource.of(Path.of("backup.json")));
 * }</pre>
 *
 * <p>{@link io.djangouserbackup.core.Encryption} encrypts backups at rest with a passphrase
 * ({@link io.djangouserbackup.core.Exporter#withEncryption(Encryption)}) and opens them again
 * ({@link io.djangouserbackup.core.BackupSource#decryptingWith(Encryption)}).
 *
 * <p>For tests: {@link io.djangouserbackup.core.DjangoSchema} lays down Django's empty {@code auth} and
 * {@code contenttypes} schema on any supported engine, {@link io.djangouserbackup.core.DjangoFixture} writes a backup
 * in Java (users with plain-text passwords hashed by {@link io.djangouserbackup.core.DjangoPasswordHasher} as Django
 * hashes them), and {@link io.djangouserbackup.core.DjangoDataSource} hands out JDBC connections to a database.
 *
 * <p>Every failure is a {@link io.djangouserbackup.core.BackupException}: a bad backup file, a database that
 * does not fit, or a database that fails. Messages name the place ({@code users[17].username: ...}).
 */
package io.djangouserbackup.core;
