/**
 * The built-in mappers: {@link io.djangouserbackup.core.mappers.PermissionsMapper},
 * {@link io.djangouserbackup.core.mappers.GroupsMapper}, {@link io.djangouserbackup.core.mappers.UsersMapper}
 * and {@link io.djangouserbackup.core.mappers.ModelTableMapper}, which backs up the OpenAI model table and can
 * back up any other Django model table with an integer id.
 */
package io.djangouserbackup.core.mappers;
