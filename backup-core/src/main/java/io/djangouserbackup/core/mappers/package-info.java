/**
 * The built-in mappers: {@link io.djangouserbackup.core.mappers.PermissionsMapper},
 * {@link io.djangouserbackup.core.mappers.GroupsMapper}, {@link io.djangouserbackup.core.mappers.UsersMapper}
 * and {@link io.djangouserbackup.core.mappers.ModelTableMapper}, which backs up the OpenAI model table and can
 * back up any other Django model table with an integer id; and
 * {@link io.djangouserbackup.core.mappers.IncludedTableMapper}, the section of any table tied to users
 * ({@code export --table}, {@code --all-user-tables}), whose shapes
 * {@link io.djangouserbackup.core.mappers.IncludedTables} finds. Their identity, references, links, removal and
 * writes are the public parts of {@code io.djangouserbackup.core.spi}; plain JDBC lookups and declared-type parsing
 * still come from {@code core.internal}.
 */
package io.djangouserbackup.core.mappers;
