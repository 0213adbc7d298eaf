/**
 * The extension contract: implement {@link io.djangouserbackup.core.spi.TableMapper} to back up one more
 * table as a section of the document, and register it explicitly with
 * {@link io.djangouserbackup.core.DjangoDatabase#withMapper(TableMapper)}. The schema types here
 * ({@link io.djangouserbackup.core.spi.Table}, {@link io.djangouserbackup.core.spi.Column}) and
 * {@link io.djangouserbackup.core.spi.Dialect}, the one place where SQL differs between engines, are part of
 * the contract and change only with a new major version.
 *
 * <p>The building blocks the built-in users, groups and OpenAI-model sections are made of are here too, for a
 * mapper of your own to reuse instead of redoing them over raw JDBC:
 * {@link io.djangouserbackup.core.spi.PrimaryKey} (a table's identity, which keys the target holds, which rows a
 * replace removes), {@link io.djangouserbackup.core.spi.Reference} (how a value refers to a row of another section:
 * users by id, groups by name, permissions and content types by natural key),
 * {@link io.djangouserbackup.core.spi.NaturalKeys}, {@link io.djangouserbackup.core.spi.LinkTable} (many-to-many
 * lists), {@link io.djangouserbackup.core.spi.TableRows} (every column a field: read, checked, written by key),
 * {@link io.djangouserbackup.core.spi.TextIdentity} (a second identity by a unique text, such as a username),
 * {@link io.djangouserbackup.core.spi.UniqueText} (one unique text column as the target's collation compares it),
 * {@link io.djangouserbackup.core.spi.UniqueValues} (unique-column collisions, naming both rows),
 * {@link io.djangouserbackup.core.spi.RowRemoval} (rows with their link rows) and
 * {@link io.djangouserbackup.core.spi.BatchedWrites}. Nothing here depends on {@code core.internal}.
 */
package io.djangouserbackup.core.spi;
