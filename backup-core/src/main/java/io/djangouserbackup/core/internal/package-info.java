/**
 * Implementation details: document reading and writing, the encrypted format (docs/ENCRYPTION.md), the SQLite,
 * PostgreSQL and MySQL/MariaDB dialects, schema discovery and helpers.
 * Everything here may change in any release; do not use it from outside this library.
 */
package io.djangouserbackup.core.internal;
