#!/usr/bin/python3
"""Generate a Django SQLite database with N users for the benchmarks.

Usage (Debian's Django 3.2: always /usr/bin/python3):

    /usr/bin/python3 bench/generate.py --users 100000 --out bench/out/db-100000.sqlite3 [--seed 42]
    /usr/bin/python3 bench/generate.py --migrated-only --out bench/out/fresh.sqlite3
    /usr/bin/python3 bench/generate.py --out bench/out/db-100000.sqlite3 --copy-to postgres://dub:dub@localhost:5432/dub_bench_100000

The schema is Django's own: the file is created by `manage.py migrate` of the interop project
(interop/djangoproject, default variant, auth.User). Rows are then bulk-inserted with the sqlite3
module (executemany, one transaction) because the ORM would take minutes for a million users.
Values are stored the way Django's SQLite backend stores them: booleans 0/1, datetimes as
'YYYY-MM-DD HH:MM:SS[.ffffff]' text, decimals given as text to a NUMERIC column.

Contents, deterministic for a given --seed and Python version:
  - 20 groups with unicode names, each with 1-6 permissions;
  - 10 OpenAI models (chat.OpenAIModel);
  - N users with unicode first/last/user names, all with the same precomputed PBKDF2 hash of
    'bench-password' (computing 1,000,000 PBKDF2 hashes would take days);
    each user in 0-3 groups, with 0-2 direct permissions, assigned to 0-3 OpenAI models;
    ~30% never logged in (last_login NULL), ~5% inactive, ~2% staff, ~0.1% superusers.
"""
import argparse
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
DJANGO_PROJECT = os.path.join(REPO, "interop", "djangoproject")

# make_password('bench-password', salt='benchSalt2026xyzABCDEF') with Django 3.2's PBKDF2 (260000 rounds).
PASSWORD_HASH = "pbkdf2_sha256$260000$benchSalt2026xyzABCDEF$dej3PeAdnCZOH5cTDf+hrjJDHFJ/veSNlawQ6Qbr55g="

FIRST_NAMES = ["Zoë", "李", "Jürgen", "Ольга", "José", "Ærin", "Søren", "Αλέξης", "Łukasz", "Nguyễn",
               "Chloé", "Mário", "Ömer", "Saoirse", "Dvořák", "Alice", "Bob", "O'Neil", "Ana \"Nana\"", "Kōji"]
LAST_NAMES = ["O'Brien", "李小龍", "Müller", "Иванова", "García", "Þórsson", "Åberg", "Παπαδόπουλος",
              "Wałęsa", "Trần", "Lefèvre", "Gonçalves", "Yılmaz", "Ní Bhriain", "Novák", "Smith",
              "🦄 Unicorn", "Ōtsuka", "Đorđević", "de la Cruz"]
USERNAME_STEMS = ["zoë", "li", "jürgen", "olga", "josé", "ærin", "søren", "alexis", "łukasz", "nguyễn",
                  "chloé", "mário", "ömer", "saoirse", "dvořák", "alice", "bob", "oneil", "ana", "kōji"]
GROUP_NAMES = ["Éditeurs", "サポート", "Администраторы", "Redakteure", "編集者", "Soporte técnico",
               "Ελεγκτές", "Moderatorzy", "Kế toán", "Ops 🚀", "Marketing", "Ventes & Co", "Recherche",
               "Développeurs", "Qualité", "Rechtsabteilung", "Finanças", "İnsan Kaynakları",
               "Beta testers \"early\"", "Gäste"]
MODEL_NAMES = ["gpt-4o", "gpt-4o-mini", "o3-mini", "o1", "gpt-4.1", "gpt-4.1-mini", "gpt-4.1-nano",
               "o4-mini", "gpt-3.5-turbo", "text-embedding-3-large"]
N_GROUPS = len(GROUP_NAMES)
N_MODELS = len(MODEL_NAMES)


def migrate(path):
    """Create a freshly migrated Django database at path (must not exist)."""
    env = dict(os.environ, DJANGO_DB_PATH=os.path.abspath(path), DJANGO_USER_VARIANT="default")
    env.pop("DJANGO_EXTRA_APPS", None)
    subprocess.run(["/usr/bin/python3", "manage.py", "migrate", "-v", "0", "--no-input"],
                   cwd=DJANGO_PROJECT, env=env, check=True)


def dt(rnd, year_from, year_to):
    """A Django-style datetime text; about one in five without microseconds."""
    year = rnd.randint(year_from, year_to)
    month = rnd.randint(1, 12)
    day = rnd.randint(1, 28)
    text = "%04d-%02d-%02d %02d:%02d:%02d" % (year, month, day, rnd.randrange(24), rnd.randrange(60),
                                              rnd.randrange(60))
    if rnd.random() < 0.8:
        text += ".%06d" % rnd.randrange(1, 1000000)
    return text


def populate(path, users, seed):
    rnd = random.Random(seed)
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("PRAGMA journal_mode = OFF")
    con.execute("PRAGMA synchronous = OFF")
    con.execute("PRAGMA cache_size = -262144")  # 256 MiB
    con.execute("BEGIN")

    perm_ids = [r[0] for r in con.execute("SELECT id FROM auth_permission ORDER BY id")]
    if con.execute("SELECT count(*) FROM auth_user").fetchone()[0]:
        sys.exit("generate.py: %s already has users" % path)

    con.executemany("INSERT INTO auth_group (id, name) VALUES (?, ?)",
                    [(i + 1, name) for i, name in enumerate(GROUP_NAMES)])
    group_perms = []
    for gid in range(1, N_GROUPS + 1):
        for pid in sorted(rnd.sample(perm_ids, rnd.randint(1, 6))):
            group_perms.append((gid, pid))
    con.executemany("INSERT INTO auth_group_permissions (group_id, permission_id) VALUES (?, ?)", group_perms)

    models = []
    for i, name in enumerate(MODEL_NAMES):
        temperature = "%.2f" % (rnd.randrange(0, 201) / 100.0)
        models.append((i + 1, name, "Model %s — «%s» 模型\nsecond line" % (i + 1, name),
                       rnd.choice([4096, 8192, 16384, 32768, 100000]), temperature,
                       1 if rnd.random() < 0.8 else 0, dt(rnd, 2023, 2025)))
    con.executemany("INSERT INTO chat_openaimodel (id, name, description, max_tokens, temperature, is_enabled, "
                    "created) VALUES (?, ?, ?, ?, ?, ?, ?)", models)

    user_sql = ("INSERT INTO auth_user (id, password, last_login, is_superuser, username, last_name, email, "
                "is_staff, is_active, date_joined, first_name) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
    group_sql = "INSERT INTO auth_user_groups (user_id, group_id) VALUES (?, ?)"
    perm_sql = "INSERT INTO auth_user_user_permissions (user_id, permission_id) VALUES (?, ?)"
    model_sql = "INSERT INTO chat_openaimodel_users (openaimodel_id, user_id) VALUES (?, ?)"

    randrange = rnd.randrange
    random_ = rnd.random
    sample = rnd.sample
    group_ids = list(range(1, N_GROUPS + 1))
    model_ids = list(range(1, N_MODELS + 1))
    chunk = 50000
    for start in range(1, users + 1, chunk):
        u_rows, g_rows, p_rows, m_rows = [], [], [], []
        for uid in range(start, min(start + chunk, users + 1)):
            f = randrange(20)
            l = randrange(20)
            r = random_()
            u_rows.append((
                uid, PASSWORD_HASH,
                None if r < 0.3 else dt(rnd, 2024, 2025),
                1 if r > 0.999 else 0,
                "%s.%d" % (USERNAME_STEMS[f], uid),
                LAST_NAMES[l],
                "user%d@example.com" % uid,
                1 if r > 0.98 else 0,
                0 if 0.3 <= r < 0.35 else 1,
                dt(rnd, 2015, 2024),
                FIRST_NAMES[f],
            ))
            k = randrange(4)
            if k:
                for gid in sample(group_ids, k):
                    g_rows.append((uid, gid))
            k = randrange(3)
            if k:
                for pid in sample(perm_ids, k):
                    p_rows.append((uid, pid))
            k = randrange(4)
            if k:
                for mid in sample(model_ids, k):
                    m_rows.append((mid, uid))
        con.executemany(user_sql, u_rows)
        con.executemany(group_sql, g_rows)
        con.executemany(perm_sql, p_rows)
        con.executemany(model_sql, m_rows)
    con.execute("COMMIT")
    con.execute("PRAGMA journal_mode = DELETE")  # Django's default rollback journal
    counts = {t: con.execute('SELECT count(*) FROM "%s"' % t).fetchone()[0]
              for t in ("auth_user", "auth_group", "auth_user_groups", "auth_user_user_permissions",
                        "chat_openaimodel", "chat_openaimodel_users")}
    con.close()
    return counts


def server_connect(url, database=None):
    """A DB-API connection to the server in url (postgres:// or mysql:// / mariadb://), to database or the URL's."""
    from urllib.parse import urlsplit, unquote
    u = urlsplit(url)
    name = database if database is not None else u.path.lstrip("/")
    if u.scheme.startswith("postgres"):
        import psycopg2
        con = psycopg2.connect(host=u.hostname, port=u.port or 5432, user=unquote(u.username or ""),
                               password=unquote(u.password or ""), dbname=name or "postgres")
        con.autocommit = True
        return con
    import MySQLdb
    kwargs = {"db": name} if name else {}
    return MySQLdb.connect(host=u.hostname, port=u.port or 3306, user=unquote(u.username or ""),
                           passwd=unquote(u.password or ""), charset="utf8mb4", autocommit=True, **kwargs)


BOOLEAN_COLUMNS = {"is_superuser", "is_staff", "is_active", "is_enabled"}


def copy_to(source, url):
    """Copies the rows of a generated SQLite database into a freshly migrated server database (dropped and created
    anew), the same values as Django would have stored there: ids kept, permissions matched by natural key."""
    from urllib.parse import urlsplit
    postgres = urlsplit(url).scheme.startswith("postgres")
    name = urlsplit(url).path.lstrip("/")
    admin = server_connect(url, "")
    cur = admin.cursor()
    quote = '"%s"' if postgres else "`%s`"
    cur.execute("DROP DATABASE IF EXISTS " + quote % name)
    cur.execute("CREATE DATABASE " + quote % name + ("" if postgres else " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"))
    admin.close()
    env = dict(os.environ, DJANGO_DB_URL=url, DJANGO_USER_VARIANT="default")
    env.pop("DJANGO_EXTRA_APPS", None)
    subprocess.run(["/usr/bin/python3", "manage.py", "migrate", "-v", "0", "--no-input"],
                   cwd=DJANGO_PROJECT, env=env, check=True)

    src = sqlite3.connect(source)
    dst = server_connect(url)
    dst.autocommit = False
    cur = dst.cursor()
    if postgres:
        cur.execute("SET TIME ZONE 'UTC'")
    else:
        cur.execute("SET time_zone = '+00:00'")
    natural = ("SELECT p.id, ct.app_label, ct.model, p.codename FROM auth_permission p "
               "JOIN django_content_type ct ON ct.id = p.content_type_id")
    target_ids = {tuple(r[1:]): r[0] for r in _fetch(cur, natural)}
    perm_map = {r[0]: target_ids[tuple(r[1:])] for r in src.execute(natural)}
    tables = [("auth_group", None), ("auth_group_permissions", "permission_id"), ("chat_openaimodel", None),
              ("auth_user", None), ("auth_user_groups", None), ("auth_user_user_permissions", "permission_id"),
              ("chat_openaimodel_users", None)]
    counts = {}
    for table, mapped in tables:
        columns = [r[1] for r in src.execute('PRAGMA table_info("%s")' % table)
                   if not (table.endswith(("_groups", "_permissions", "_users")) and r[1] == "id")]
        select = 'SELECT %s FROM "%s" ORDER BY 1' % (", ".join('"%s"' % c for c in columns), table)
        insert = "INSERT INTO %s (%s) VALUES " % (quote % table, ", ".join(quote % c for c in columns))
        rows = []
        for row in src.execute(select):
            row = list(row)
            for i, c in enumerate(columns):
                if c in BOOLEAN_COLUMNS and postgres:
                    row[i] = bool(row[i])
                elif c == mapped:
                    row[i] = perm_map[row[i]]
            rows.append(tuple(row))
        for start in range(0, len(rows), 5000):
            chunk = rows[start:start + 5000]
            if postgres:
                from psycopg2.extras import execute_values
                execute_values(cur, insert + "%s", chunk, page_size=5000)
            else:
                cur.executemany(insert + "(" + ", ".join(["%s"] * len(columns)) + ")", chunk)
        counts[table] = len(rows)
    if postgres:
        for table in ("auth_group", "auth_user", "chat_openaimodel", "auth_user_groups", "auth_group_permissions",
                      "auth_user_user_permissions", "chat_openaimodel_users"):
            cur.execute("SELECT setval(pg_get_serial_sequence('%s', 'id'), COALESCE((SELECT max(id) FROM %s), 0) + 1, false)"
                        % (table, table))
    dst.commit()
    dst.close()
    src.close()
    return counts


def _fetch(cur, sql):
    cur.execute(sql)
    return cur.fetchall()

def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=10000, help="number of users (default 10000)")
    parser.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    parser.add_argument("--out", required=True, help="database file to create")
    parser.add_argument("--force", action="store_true", help="replace an existing file")
    parser.add_argument("--migrated-only", action="store_true", help="only migrate, insert no rows")
    parser.add_argument("--template", help="a freshly migrated database to copy instead of running migrate")
    parser.add_argument("--copy-to", metavar="URL",
                        help="instead: copy the rows of the SQLite database --out into a server database "
                             "(postgres://USER:PASSWORD@HOST:PORT/NAME or mysql://...), dropped, created and "
                             "migrated anew")
    args = parser.parse_args()

    if args.copy_to:
        started = time.time()
        counts = copy_to(args.out, args.copy_to)
        print("generate.py: copied %s to %s in %.1fs; %s" % (args.out, args.copy_to.split("@")[-1], time.time() - started,
              ", ".join("%s=%d" % kv for kv in counts.items())), file=sys.stderr)
        return

    if os.path.exists(args.out):
        if not args.force:
            sys.exit("generate.py: %s exists (use --force)" % args.out)
        os.remove(args.out)
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    started = time.time()
    tmp = args.out + ".tmp"
    if os.path.exists(tmp):
        os.remove(tmp)
    if args.template:
        shutil.copyfile(args.template, tmp)
    else:
        migrate(tmp)
    migrated = time.time()
    counts = {}
    if not args.migrated_only:
        counts = populate(tmp, args.users, args.seed)
    os.replace(tmp, args.out)
    print("generate.py: %s: migrate %.1fs, insert %.1fs; %s" % (
        args.out, migrated - started, time.time() - migrated,
        ", ".join("%s=%d" % kv for kv in counts.items()) or "migrated only"), file=sys.stderr)


if __name__ == "__main__":
    main()
