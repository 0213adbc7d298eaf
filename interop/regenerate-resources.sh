#!/usr/bin/env bash
# Regenerates the Django-derived test resources and the example database:
#
#   backup-core/src/test/resources/django/auth-user.sql             default variant (auth.User)
#   backup-core/src/test/resources/django/custom-user.sql           custom variant (accounts.User)
#   backup-core/src/test/resources/django/auth-user-extra-apps.sql  default variant with
#       sites/flatpages/redirects installed first (shifted content-type/permission ids)
#   examples/example.sqlite3                                        made by interop/make_example.py
#   backup-core/src/main/resources/io/djangouserbackup/core/schema/ENGINE/auth.sql and auth-chat.sql
#       the empty Django schemas backup-core lays down itself (DjangoSchema, issue 12), for ENGINE
#       sqlite, postgresql and mysql: settings site_settings.minimal (auth and contenttypes only;
#       auth-chat adds the chat app's OpenAI model table), migrated by Django on each engine and
#       dumped (sqlite3 .dump, pg_dump, mysqldump), normalised by schema_dump.py to one statement
#       per line. The server engines need the PostgreSQL and MariaDB servers of .ci/start-postgres
#       and .ci/start-mariadb (DUB_PG_* / DUB_MYSQL_* as in the tests; default dub/dub on localhost).
#
# With ONLY=schemas only the schema resources are regenerated.
#
# Each .sql file is `sqlite3 DB .dump` of a freshly migrated database (schema plus the rows
# that `migrate` creates: django_migrations, django_content_type, auth_permission, and
# django_site for the extra-apps variant), post-processed so that it replays cleanly as
# plain SQL, one statement at a time (the Java tests run them as Jdbi scripts):
#   * "PRAGMA foreign_keys=OFF;", "BEGIN TRANSACTION;" and "COMMIT;" are dropped: a
#     BEGIN inside an already open transaction fails, and the pragma would silently change
#     connection state. The row order of the dump is FK-safe (content types are inserted
#     before permissions), which is checked below by replaying with foreign_keys=ON.
#   * django_migrations.applied is pinned to '2024-01-01 00:00:00.<id as 6 digits>' so
#     the files do not change on every run (same text format Django writes).
#   * The script checks: every line is one statement ending in ";", no triggers, the dump
#     replays into a new database with `sqlite3 new.db < dump.sql`, and the replayed
#     database dumps back to the same text.
#
# Needs Debian's Django 3.2 (python3-django) and the sqlite3 CLI. Always uses /usr/bin/python3.
set -euo pipefail

PY=/usr/bin/python3
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
PROJECT="$HERE/djangoproject"
RESOURCES="$ROOT/backup-core/src/test/resources/django"
EXAMPLES="$ROOT/examples"

export PYTHONDONTWRITEBYTECODE=1
unset DJANGO_USER_VARIANT DJANGO_DB_PATH DJANGO_EXTRA_APPS DJANGO_SETTINGS_MODULE

command -v sqlite3 >/dev/null || { echo "sqlite3 CLI not found" >&2; exit 1; }
"$PY" -c 'import django, sys; sys.exit(0 if django.VERSION[:2] == (3, 2) else 1)' \
  || { echo "$PY must have Django 3.2 (apt-get install python3-django)" >&2; exit 1; }

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# The committed migrations must match the models in both variants.
(cd "$PROJECT" && DJANGO_DB_PATH="$WORK/check.sqlite3" "$PY" manage.py makemigrations --check --dry-run -v0)
(cd "$PROJECT" && DJANGO_USER_VARIANT=custom DJANGO_DB_PATH="$WORK/check.sqlite3" \
  "$PY" manage.py makemigrations --check --dry-run -v0)

# dump_variant OUTPUT_FILE VARIANT EXTRA_APPS
dump_variant() {
  local out="$1" variant="$2" extra="$3" name db dump replay
  name="$(basename "$out" .sql)"
  db="$WORK/$name.sqlite3"
  dump="$WORK/$name.sql"
  replay="$WORK/$name-replay.sqlite3"

  (cd "$PROJECT" && DJANGO_USER_VARIANT="$variant" DJANGO_EXTRA_APPS="$extra" DJANGO_DB_PATH="$db" \
    "$PY" manage.py migrate --noinput -v0)
  sqlite3 "$db" "UPDATE django_migrations SET applied = '2024-01-01 00:00:00.' || printf('%06d', id);"

  sqlite3 "$db" .dump | grep -v -x -e 'PRAGMA foreign_keys=OFF;' -e 'BEGIN TRANSACTION;' -e 'COMMIT;' > "$dump"

  if grep -n -v ';$' "$dump" >&2; then
    echo "$name: lines above do not end in ';' (multi-line statement?)" >&2; exit 1
  fi
  if grep -n -i 'CREATE TRIGGER' "$dump" >&2; then
    echo "$name: dump contains triggers" >&2; exit 1
  fi
  # Replay statement by statement (autocommit) with foreign keys enforced.
  { echo 'PRAGMA foreign_keys=ON;'; cat "$dump"; } | sqlite3 -bail "$replay"
  if [ -n "$(sqlite3 "$replay" 'PRAGMA foreign_key_check;')" ] \
     || [ "$(sqlite3 "$replay" 'PRAGMA integrity_check;')" != ok ]; then
    echo "$name: replayed database fails foreign_key_check/integrity_check" >&2; exit 1
  fi
  # Plain `sqlite3 new.db < dump.sql` must work, and give back the same dump.
  rm -f "$replay"
  sqlite3 -bail "$replay" < "$dump"
  if ! diff <(sqlite3 "$replay" .dump | grep -v -x -e 'PRAGMA foreign_keys=OFF;' -e 'BEGIN TRANSACTION;' -e 'COMMIT;') \
            "$dump" >&2; then
    echo "$name: replayed database does not dump back to the same text" >&2; exit 1
  fi

  mkdir -p "$(dirname "$out")"
  cp "$dump" "$out"
  echo "wrote ${out#"$ROOT"/}"
}

# schema_sqlite OUTPUT_FILE CHAT(0|1): the empty schema of site_settings.minimal on SQLite.
schema_sqlite() {
  local out="$1" chat="$2" db="$WORK/schema-$2.sqlite3"
  rm -f "$db"
  (cd "$PROJECT" && DJANGO_SETTINGS_MODULE=site_settings.minimal DJANGO_MINIMAL_CHAT="$chat" DJANGO_DB_PATH="$db" \
    "$PY" manage.py migrate --noinput -v0)
  sqlite3 "$db" "UPDATE django_migrations SET applied = '2024-01-01 00:00:00.' || printf('%06d', id);"
  mkdir -p "$(dirname "$out")"
  sqlite3 "$db" .dump | grep -v -x -e 'PRAGMA foreign_keys=OFF;' -e 'BEGIN TRANSACTION;' -e 'COMMIT;' > "$out"
  if grep -n -v ';$' "$out" >&2; then echo "$out: multi-line statement" >&2; exit 1; fi
  rm -f "$WORK/replay.sqlite3"
  sqlite3 -bail "$WORK/replay.sqlite3" < "$out"
  echo "wrote ${out#"$ROOT"/}"
}

PG_HOST="${DUB_PG_HOST:-localhost}" PG_PORT="${DUB_PG_PORT:-5432}" PG_USER="${DUB_PG_USER:-dub}" PG_PASSWORD="${DUB_PG_PASSWORD:-dub}"
MY_HOST="${DUB_MYSQL_HOST:-127.0.0.1}" MY_PORT="${DUB_MYSQL_PORT:-3306}" MY_USER="${DUB_MYSQL_USER:-dub}" MY_PASSWORD="${DUB_MYSQL_PASSWORD:-dub}"

# schema_server ENGINE OUTPUT_FILE CHAT(0|1): the same on a scratch database of the server.
schema_server() {
  local engine="$1" out="$2" chat="$3" name="dub_schema_$$_$3" url
  if [ "$engine" = postgresql ]; then
    export PGPASSWORD="$PG_PASSWORD"
    psql -q -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -c "DROP DATABASE IF EXISTS $name" -c "CREATE DATABASE $name"
    url="postgres://$PG_USER:$PG_PASSWORD@$PG_HOST:$PG_PORT/$name"
  else
    export MYSQL_PWD="$MY_PASSWORD"
    mysql -h "$MY_HOST" -P "$MY_PORT" -u "$MY_USER" \
      -e "DROP DATABASE IF EXISTS $name; CREATE DATABASE $name CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci"
    url="mysql://$MY_USER:$MY_PASSWORD@$MY_HOST:$MY_PORT/$name"
  fi
  (cd "$PROJECT" && DJANGO_SETTINGS_MODULE=site_settings.minimal DJANGO_MINIMAL_CHAT="$chat" DJANGO_DB_URL="$url" \
    "$PY" manage.py migrate --noinput -v0)
  mkdir -p "$(dirname "$out")"
  if [ "$engine" = postgresql ]; then
    psql -q -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d "$name" \
      -c "UPDATE django_migrations SET applied = TIMESTAMPTZ '2024-01-01 00:00:00+00' + id * INTERVAL '1 microsecond'"
    pg_dump -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" --no-owner --no-privileges --no-comments --inserts "$name" \
      | "$PY" "$HERE/schema_dump.py" postgresql > "$out"
    psql -q -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -c "DROP DATABASE $name"
  else
    mysql -h "$MY_HOST" -P "$MY_PORT" -u "$MY_USER" "$name" \
      -e "UPDATE django_migrations SET applied = TIMESTAMP '2024-01-01 00:00:00' + INTERVAL id MICROSECOND"
    mysqldump -h "$MY_HOST" -P "$MY_PORT" -u "$MY_USER" --compact --skip-extended-insert --skip-comments \
      --no-tablespaces --skip-add-locks --skip-disable-keys --skip-tz-utc --order-by-primary "$name" \
      | "$PY" "$HERE/schema_dump.py" mysql > "$out"
    mysql -h "$MY_HOST" -P "$MY_PORT" -u "$MY_USER" -e "DROP DATABASE $name"
  fi
  echo "wrote ${out#"$ROOT"/}"
}

SCHEMAS="$ROOT/backup-core/src/main/resources/io/djangouserbackup/core/schema"
schema_sqlite "$SCHEMAS/sqlite/auth.sql" 0
schema_sqlite "$SCHEMAS/sqlite/auth-chat.sql" 1
for engine in postgresql mysql; do
  schema_server "$engine" "$SCHEMAS/$engine/auth.sql" 0
  schema_server "$engine" "$SCHEMAS/$engine/auth-chat.sql" 1
done
if [ "${ONLY:-}" = schemas ]; then
  exit 0
fi

dump_variant "$RESOURCES/auth-user.sql" default ""
dump_variant "$RESOURCES/custom-user.sql" custom ""
dump_variant "$RESOURCES/auth-user-extra-apps.sql" default \
  "django.contrib.sites,django.contrib.flatpages,django.contrib.redirects"

# Example database (default variant), built through the ORM.
DJANGO_DB_PATH="$WORK/example.sqlite3" "$PY" "$HERE/make_example.py"
sqlite3 "$WORK/example.sqlite3" 'VACUUM;'
[ "$(sqlite3 "$WORK/example.sqlite3" 'PRAGMA integrity_check;')" = ok ]
[ -z "$(sqlite3 "$WORK/example.sqlite3" 'PRAGMA foreign_key_check;')" ]
mkdir -p "$EXAMPLES"
cp "$WORK/example.sqlite3" "$EXAMPLES/example.sqlite3"
echo "wrote examples/example.sqlite3"
