/**
 * The backup document as immutable values, with no I/O, SQL or JSON library behind it.
 *
 * <p>A backup is one JSON object: a header ({@link io.djangouserbackup.model.BackupHeader}) and named
 * sections ({@link io.djangouserbackup.model.Sections}), each an array of {@link io.djangouserbackup.model.Row}s.
 * {@link io.djangouserbackup.model.BackupDocument} holds a whole document in memory, for tests and small
 * fixtures; the core module streams documents row by row instead.
 */
package io.djangouserbackup.model;
