#!/usr/bin/env bash
# Peak memory of a MySQL/MariaDB export against the SQLite export of the same users (issue 15): both under -Xmx64m,
# through the CLI jar, timed by GNU time (wall clock, peak RSS), min/median/max of --runs runs, the load average
# noted beside each run (the machine may be shared).
#
#   bench/mariadb-memory.sh [--users N] [--runs R] [--jar JAR]... [--keep]
#
#   --users N   users to generate (default 1000000): bench/generate.py makes the SQLite database (0-3 groups,
#               0-2 permissions, 0-3 OpenAI models per user), and the same rows are loaded into a MariaDB database
#               migrated by the interop Django project (LOAD DATA, foreign key checks off while loading)
#   --runs R    runs per engine and jar (default 3)
#   --jar JAR   a CLI jar to measure (repeatable, e.g. one built before and one after a change; default
#               backup-cli/target/django-user-backup.jar); the runs alternate between jars and engines
#   --keep      keep the MariaDB database (dub_bench_mem) and reuse it, and the SQLite file, on the next run
#
# MariaDB: DUB_MYSQL_HOST/PORT/USER/PASSWORD as for the tests (default 127.0.0.1, 3306, dub, dub; see
# .ci/start-mariadb). Everything generated goes to bench/out/ (git-ignored). Prints one TSV line per run and a
# summary; the backups of one jar are checked to hold the same rows on both engines (bench/compare.py).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd -P)
root=$(dirname "$here")
out=$here/out
users=1000000
runs=3
keep=0
jars=()
while [ $# -gt 0 ]; do
    case $1 in
        --users) users=$2; shift 2 ;;
        --runs) runs=$2; shift 2 ;;
        --jar) jars+=("$(cd "$(dirname "$2")" && pwd -P)/$(basename "$2")"); shift 2 ;;
        --keep) keep=1; shift ;;
        -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
        *) echo "mariadb-memory.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
[ ${#jars[@]} -gt 0 ] || jars=("$root/backup-cli/target/django-user-backup.jar")
for jar in "${jars[@]}"; do
    [ -f "$jar" ] || { echo "mariadb-memory.sh: no jar $jar (build it: mvn -DskipTests -pl backup-cli -am package)" >&2; exit 2; }
done
[ -x /usr/bin/time ] || { echo "mariadb-memory.sh: GNU time is needed (apt-get install time)" >&2; exit 2; }

host=${DUB_MYSQL_HOST:-127.0.0.1}
port=${DUB_MYSQL_PORT:-3306}
user=${DUB_MYSQL_USER:-dub}
export MYSQL_PWD=${DUB_MYSQL_PASSWORD:-dub}
name=dub_bench_mem
mysql_() { mariadb -h"$host" -P"$port" -u"$user" "$@"; }

mkdir -p "$out"
sqlite=$out/mem-$users.sqlite3
if [ ! -f "$sqlite" ] || [ $keep = 0 ]; then
    /usr/bin/python3 "$here/generate.py" --users "$users" --out "$sqlite" --force
fi

loaded=$(mysql_ -N -e "SELECT COUNT(*) FROM $name.auth_user" 2>/dev/null || echo none)
if [ $keep = 0 ] || [ "$loaded" != "$users" ]; then
    echo "mariadb-memory.sh: loading $users users into MariaDB database $name ..." >&2
    started=$(date +%s)
    mysql_ -e "DROP DATABASE IF EXISTS $name; CREATE DATABASE $name CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci"
    (cd "$root/interop/djangoproject" && DJANGO_DB_URL="mysql://$user:$MYSQL_PWD@$host:$port/$name" \
        DJANGO_USER_VARIANT=default /usr/bin/python3 manage.py migrate -v 0 --no-input)
    # Both databases are migrated alike, so content types and permissions have the same ids. Tab-separated, NULL as
    # \N; the one multi-line text (an OpenAI model's description) has its line breaks escaped.
    load() {
        local table=$1 columns=$2 select=$3
        sqlite3 -batch -noheader -separator $'\t' -nullvalue '\N' "$sqlite" "$select" > "$out/mem-load.tsv"
        mysql_ --local-infile=1 "$name" -e "SET foreign_key_checks = 0; SET unique_checks = 0;
            LOAD DATA LOCAL INFILE '$out/mem-load.tsv' INTO TABLE $table CHARACTER SET utf8mb4
            FIELDS TERMINATED BY '\t' LINES TERMINATED BY '\n' ($columns)"
    }
    load auth_group "id, name" "SELECT id, name FROM auth_group"
    load auth_group_permissions "id, group_id, permission_id" "SELECT id, group_id, permission_id FROM auth_group_permissions"
    load chat_openaimodel "id, name, description, max_tokens, temperature, is_enabled, created" \
        "SELECT id, name, replace(replace(description, '\\', '\\\\'), char(10), '\\n'), max_tokens, temperature, is_enabled, created FROM chat_openaimodel"
    cols="id, password, last_login, is_superuser, username, last_name, email, is_staff, is_active, date_joined, first_name"
    load auth_user "$cols" "SELECT $cols FROM auth_user"
    load auth_user_groups "id, user_id, group_id" "SELECT id, user_id, group_id FROM auth_user_groups"
    load auth_user_user_permissions "id, user_id, permission_id" "SELECT id, user_id, permission_id FROM auth_user_user_permissions"
    load chat_openaimodel_users "id, openaimodel_id, user_id" "SELECT id, openaimodel_id, user_id FROM chat_openaimodel_users"
    rm -f "$out/mem-load.tsv"
    echo "mariadb-memory.sh: loaded in $(( $(date +%s) - started )) s" >&2
fi

results=$out/mem-results.tsv
printf 'jar\tengine\trun\twall_s\tpeak_rss_kib\tload1_before\tload1_after\texit\n' > "$results"
for run in $(seq 1 "$runs"); do
    for j in "${!jars[@]}"; do
        for engine in sqlite mariadb; do
            if [ $engine = sqlite ]; then db=(--db "$sqlite"); else db=(--url "mysql://$user@$host:$port/$name"); fi
            backup=$out/mem-$j-$engine.json
            rm -f "$backup"
            load_before=$(cut -d' ' -f1 /proc/loadavg)
            status=0
            /usr/bin/time -f '%e %M' -o "$out/mem-time.txt" \
                java -Xmx64m -jar "${jars[$j]}" export --quiet --force "${db[@]}" "$backup" >/dev/null \
                2>"$out/mem-$j-$engine.err" || status=$?
            read -r wall rss < <(tail -n 1 "$out/mem-time.txt")
            printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$j" "$engine" "$run" "$wall" "$rss" "$load_before" \
                "$(cut -d' ' -f1 /proc/loadavg)" "$status" | tee -a "$results"
            [ $status = 0 ] || { echo "mariadb-memory.sh: jar $j on $engine failed (exit $status):" >&2; head -c 600 "$out/mem-$j-$engine.err" >&2; }
        done
    done
done

[ "$runs" -gt 0 ] && for j in "${!jars[@]}"; do
    if [ ! -f "$out/mem-$j-sqlite.json" ] || [ ! -f "$out/mem-$j-mariadb.json" ]; then
        echo "mariadb-memory.sh: jar $j: no backup to compare (an export failed)" >&2
    elif /usr/bin/python3 "$here/compare.py" "$out/mem-$j-sqlite.json" "$out/mem-$j-mariadb.json" >&2; then
        echo "mariadb-memory.sh: jar $j: both engines' backups hold the same rows" >&2
    else
        echo "mariadb-memory.sh: jar $j: the two engines' backups differ" >&2
    fi
done

echo
echo "jar ${jars[*]}" | tr ' ' '\n' | awk 'NR>1 {print "jar " NR-2 ": " $0}'
/usr/bin/python3 - "$results" <<'PY'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
print("jar engine   runs  peak RSS MiB min/median/max   wall s min/median/max   load1 range  failed")
for key in sorted({(r["jar"], r["engine"]) for r in rows}):
    sel = [r for r in rows if (r["jar"], r["engine"]) == key]
    rss = sorted(int(r["peak_rss_kib"]) / 1024 for r in sel)
    wall = sorted(float(r["wall_s"]) for r in sel)
    loads = [float(r[k]) for r in sel for k in ("load1_before", "load1_after")]
    failed = sum(r["exit"] != "0" for r in sel)
    print("%-3s %-8s %4d  %6.0f/%6.0f/%6.0f        %6.2f/%6.2f/%6.2f     %.2f-%.2f  %d" % (
        key[0], key[1], len(sel), rss[0], statistics.median(rss), rss[-1], wall[0], statistics.median(wall), wall[-1],
        min(loads), max(loads), failed))
PY
if [ $keep = 0 ]; then
    mysql_ -e "DROP DATABASE IF EXISTS $name"
fi
