/**
 * The extension contract: implement {@link io.djangouserbackup.core.spi.TableMapper} to back up one more
 * table as a section of the document, and register it explicitly with
 * {@link io.djangouserbackup.core.DjangoDatabase#withMapper(TableMapper)}. The schema types here
 * ({@link io.djangouserbackup.core.spi.Table}, {@link io.djangouserbackup.core.spi.Column}) and
 * {@link io.djangouserbackup.core.spi.Dialect}, the one place where SQL differs between engines, are part of
 * the contract and change only with a new major version.
 */
package io.djangouserbackup.core.spi;
