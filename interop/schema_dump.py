"""Turns a dump of a freshly migrated database into a schema resource of backup-core (issue 12).

    schema_dump.py postgresql|mysql < raw-dump > resource.sql

Output: one statement per line, each ending in ";", in an order that replays into an empty database of the same
engine: the tables, sequences, constraints, indexes and the rows `migrate` made (django_migrations,
django_content_type, auth_permission). Removed: comments, blank lines, session settings (SET ..., set_config, the
/*!... */ lines of mysqldump), ownership and privileges. PostgreSQL names are unqualified (no "public."), so the
schema lands in the connection's search_path. MySQL tables lose their AUTO_INCREMENT=N and their DEFAULT
CHARSET/COLLATE, as Django creates them: the database's own character set applies.
"""
import re
import sys


def statements(text):
    """Statements of a dump: lines joined until one ends in ';' outside a quoted string."""
    current, quoted = [], False
    for line in text.splitlines():
        # psql meta-commands (pg_dump's \\restrict and \\unrestrict lines) and MariaDB's
        # sandbox-mode marker are not SQL.
        if not current and (not line.strip() or line.startswith("--") or line.startswith("\\")
                            or line.startswith("/*M!999999")):
            continue
        current.append(line.strip())
        quoted ^= (line.count("'") - 2 * line.count("\\'") - 2 * line.count("''")) % 2 == 1
        if not quoted and line.rstrip().endswith(";"):
            yield " ".join(current)
            current = []
    if current:
        raise SystemExit("unterminated statement: " + " ".join(current)[:200])


def keep_postgres(stmt):
    if re.match(r"(SET |SELECT pg_catalog\.set_config|ALTER .* OWNER TO |GRANT |REVOKE |COMMENT ON |\\)", stmt):
        return None
    return re.sub(r"\bpublic\.", "", stmt)


def keep_mysql(stmt):
    if stmt.startswith("/*!") and stmt.endswith("*/;"):
        return None
    if re.match(r"(SET |LOCK TABLES|UNLOCK TABLES)", stmt):
        return None
    stmt = re.sub(r" AUTO_INCREMENT=\d+", "", stmt)
    stmt = re.sub(r" DEFAULT CHARSET=\w+( COLLATE=\w+)?", "", stmt)
    return stmt


def main():
    engine = sys.argv[1]
    keep = {"postgresql": keep_postgres, "mysql": keep_mysql}[engine]
    for stmt in statements(sys.stdin.read()):
        stmt = keep(stmt)
        if stmt:
            print(stmt)


if __name__ == "__main__":
    main()
