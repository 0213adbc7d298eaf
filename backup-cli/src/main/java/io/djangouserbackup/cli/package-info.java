/**
 * The {@code django-user-backup} command: parses arguments, asks for confirmation, prints, and maps failures to
 * exit codes. Every decision about data is made in {@code io.djangouserbackup.core}; nothing here is an API.
 */
package io.djangouserbackup.cli;
