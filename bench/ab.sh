#!/usr/bin/env bash
# Side-by-side timing of two or more builds of the CLI jar and the sqlite3 reference on one generated SQLite
# database, for trying an idea (run.sh measures one commit; this compares jars). Every round runs the reference,
# then each jar in turn, for each operation, through the launcher as users run it; wall clock and CPU (user +
# system) with GNU time and the 1-minute load average before each run.
#
#   bench/ab.sh --n 100000 --runs 5 --jar main=/tmp/main.jar --jar new=backup-cli/target/django-user-backup.jar
#   bench/ab.sh --n 100000 --ops export --opts "-Xmx64m" --jar ...   # extra JVM options for every jar
#   bench/ab.sh --jar 'c1=/tmp/main.jar|-XX:TieredStopAtLevel=1' ...  # JVM options for one jar (after --opts)
#   bench/ab.sh --nice -10 ...       # every measured command under nice (as root: ahead of other work on the machine)
#
# Needs bench/out/db-N.sqlite3 and bench/out/fresh.sqlite3 (run.sh or generate.py) and the reference's sqlite3
# (bench/out/sqlite3-bin/sqlite3, built by run.sh). Each jar is copied into bench/out/ab/NAME/ (the launcher keeps
# its class-data-sharing archive and unpacked SQLite library beside the jar). Raw lines: bench/out/ab/results.tsv
# (name, op, round, wall s, user s, sys s, peak RSS KB, load); the summary is min / median / max per name and op.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
OUT="$HERE/out"
N=100000 RUNS=5 OPS="export import" OPTS="" SQLITE3="$OUT/sqlite3-bin/sqlite3" NICE=""
NAMES=() JARS=() JOPTS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --n) N="$2"; shift 2 ;;
    --runs) RUNS="$2"; shift 2 ;;
    --ops) OPS="$2"; shift 2 ;;
    --opts) OPTS="$2"; shift 2 ;;
    --nice) NICE="$2"; shift 2 ;;
    --sqlite3) SQLITE3="$2"; shift 2 ;;
    --jar) NAMES+=("${2%%=*}"); spec="${2#*=}"; JARS+=("${spec%%|*}")
           if [ "$spec" != "${spec#*|}" ]; then JOPTS+=("${spec#*|}"); else JOPTS+=(""); fi; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "ab.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
DB="$OUT/db-$N.sqlite3"
[ -f "$DB" ] && [ -f "$OUT/fresh.sqlite3" ] || { echo "ab.sh: needs $DB and $OUT/fresh.sqlite3" >&2; exit 1; }
[ -x "$SQLITE3" ] || { echo "ab.sh: no sqlite3 at $SQLITE3 (bench/run.sh builds it)" >&2; exit 1; }
mkdir -p "$OUT/ab"
RES="$OUT/ab/results.tsv"
: > "$RES"
for i in "${!NAMES[@]}"; do
  mkdir -p "$OUT/ab/${NAMES[$i]}"
  cp -p "${JARS[$i]}" "$OUT/ab/${NAMES[$i]}/django-user-backup.jar"
  # The launcher's first run makes its archive and unpacks the library; not measured.
  DJANGO_USER_BACKUP_JAR="$OUT/ab/${NAMES[$i]}/django-user-backup.jar" "$REPO/django-user-backup" export --quiet \
    --db "$REPO/examples/example.sqlite3" - >/dev/null
done

timed() {  # timed NAME OP ROUND CMD...
  local name="$1" op="$2" round="$3" load tf="$OUT/ab/time"; shift 3
  load="$(cut -d' ' -f1 /proc/loadavg)"
  local -a pre=()
  if [ -n "$NICE" ]; then pre=(nice -n "$NICE"); fi
  if ! /usr/bin/time -f '%e %U %S %M' -o "$tf" "${pre[@]}" "$@" >/dev/null 2>"$OUT/ab/stderr"; then
    echo "ab.sh: $name $op round $round failed:" >&2; tail -3 "$OUT/ab/stderr" >&2
    return 0
  fi
  printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$op" "$round" "$(tail -1 "$tf" | tr ' ' '\t')" "$load" >> "$RES"
}

T="$OUT/ab/target.sqlite3"
for r in $(seq 1 "$RUNS"); do
  for op in $OPS; do
    case "$op" in
      export)
        timed sqlite3 export "$r" sh -c '"$1" -batch -readonly "$2" < "$3" > "$4"' _ "$SQLITE3" "$DB" "$HERE/sqlite/export.sql" "$OUT/ab/sqlite3.json"
        for i in "${!NAMES[@]}"; do
          rm -f "$OUT/ab/${NAMES[$i]}.json"
          timed "${NAMES[$i]}" export "$r" env DJANGO_USER_BACKUP_JAR="$OUT/ab/${NAMES[$i]}/django-user-backup.jar" \
            DJANGO_USER_BACKUP_JAVA_OPTS="$OPTS ${JOPTS[$i]}" "$REPO/django-user-backup" export --db "$DB" "$OUT/ab/${NAMES[$i]}.json"
        done ;;
      import)
        [ -f "$OUT/ab/sqlite3.json" ] || "$SQLITE3" -batch -readonly "$DB" < "$HERE/sqlite/export.sql" > "$OUT/ab/sqlite3.json"
        rm -f "$T" "$T-journal"; cp "$OUT/fresh.sqlite3" "$T"
        timed sqlite3 import "$r" sh -c '"$1" -batch -bail -cmd ".parameter set @in '"'"'$4'"'"'" "$2" < "$3"' _ "$SQLITE3" "$T" "$HERE/sqlite/import.sql" "$OUT/ab/sqlite3.json"
        for i in "${!NAMES[@]}"; do
          local_in="$OUT/ab/${NAMES[$i]}.json"
          [ -f "$local_in" ] || DJANGO_USER_BACKUP_JAR="$OUT/ab/${NAMES[$i]}/django-user-backup.jar" "$REPO/django-user-backup" export --quiet --db "$DB" "$local_in"
          rm -f "$T" "$T-journal"; cp "$OUT/fresh.sqlite3" "$T"
          timed "${NAMES[$i]}" import "$r" env DJANGO_USER_BACKUP_JAR="$OUT/ab/${NAMES[$i]}/django-user-backup.jar" \
            DJANGO_USER_BACKUP_JAVA_OPTS="$OPTS ${JOPTS[$i]}" "$REPO/django-user-backup" import --db "$T" --mode replace --yes "$local_in"
        done ;;
      *) echo "ab.sh: unknown op $op (export, import)" >&2; exit 2 ;;
    esac
  done
done

/usr/bin/python3 - "$RES" <<'EOF'
import statistics, sys
from collections import defaultdict
runs = defaultdict(list)
for line in open(sys.argv[1]):
    name, op, r, wall, user, sys_, rss, load = line.rstrip("\n").split("\t")
    runs[(op, name)].append((float(wall), float(user) + float(sys_), int(rss), float(load)))
def mmm(xs):
    xs = sorted(xs)
    return "%.2f / %.2f / %.2f" % (xs[0], statistics.median(xs), xs[-1])
print("| op | who | wall s min / median / max | CPU s (user+sys) min / median / max | peak RSS MiB | load | runs |")
print("|---|---|---:|---:|---:|---:|---:|")
for (op, name), v in sorted(runs.items()):
    print("| %s | %s | %s | %s | %.0f | %.1f–%.1f | %d |" % (op, name, mmm([x[0] for x in v]), mmm([x[1] for x in v]),
          max(x[2] for x in v) / 1024, min(x[3] for x in v), max(x[3] for x in v), len(v)))
EOF
