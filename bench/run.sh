#!/usr/bin/env bash
# Benchmark harness: django-user-backup vs SQLite's own engine (sqlite3 CLI + JSON functions) vs
# Django's dumpdata/loaddata, on generated Django databases with N users.
#
#   bench/run.sh                      # N = 0 (empty), 10000, 100000; 3 runs each; writes docs/BENCHMARKS.md
#   bench/run.sh --with-1m            # also N = 1000000 (1 run of each tool there)
#   bench/run.sh --sizes "10000" --runs 5 --report /tmp/b.md
#
# Options (environment variables of the same name in capitals work too):
#   --sizes "N ..."      user counts (default "10000 100000")
#   --with-1m            add 1000000 to the sizes
#   --runs R             timed runs per tool and operation, median reported (default 3)
#   --runs-large R       runs at N >= 1000000 (default 1)
#   --django-max N       largest N at which Django's dumpdata/loaddata are run (default 100000, where issue 5's
#                        targets are set; about 10 minutes of Django there); above it
#                        Django's times are extrapolated linearly from the run at that N, and labelled so
#   --django-runs R      runs of Django per operation (default 1: one loaddata at 10k takes over a minute)
#   --django-timeout S   kill a Django run after S seconds and report it as timed out (default 900)
#   --no-empty           skip N=0 (an empty database: the fixed cost of start-up, schema checks, header)
#   --no-xmx64           skip the -Xmx64m runs of our tool
#   --encrypted          also run our tool with --encrypt under -Xmx64m (the passphrase from the environment):
#                        encrypted export and import must stay in the same small heap
#   --no-django          skip Django
#   --no-verify          skip the data-equality checks (export vs export, import round trip)
#   --ours auto|cli|library
#                        how to run our tool: the CLI jar (java -jar), or bench/java/BenchCli.java calling
#                        backup-core directly (used while the CLI cannot run the commands); default auto
#   --report FILE        Markdown output (default docs/BENCHMARKS.md)
#   --seed S             generator seed (default 42)
#   --nice N             run every measured command under `nice -n N` (e.g. -10 on a shared machine, as root);
#                        the same for every tool, recorded in the report
#
# Everything generated (databases, backups, raw timings) goes to bench/out/ (git-ignored).
# Needs: Java 17, Maven (to build the jar if missing), sqlite3, Debian's python3-django at
# /usr/bin/python3, GNU time at /usr/bin/time (installed with apt-get when missing and run as root).
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
OUT="$HERE/out"
PY=/usr/bin/python3

SIZES="${SIZES:-10000 100000}"
RUNS="${RUNS:-3}"
RUNS_LARGE="${RUNS_LARGE:-1}"
DJANGO_MAX="${DJANGO_MAX:-100000}"
DJANGO_RUNS="${DJANGO_RUNS:-1}"
DJANGO_TIMEOUT="${DJANGO_TIMEOUT:-900}"
XMX64="${XMX64:-1}"
ENCRYPTED="${ENCRYPTED:-0}"
EMPTY="${EMPTY:-1}"
DJANGO="${DJANGO:-1}"
VERIFY="${VERIFY:-1}"
OURS_MODE="${OURS:-auto}"
REPORT="${REPORT:-$REPO/docs/BENCHMARKS.md}"
SEED="${SEED:-42}"
NICE="${NICE:-}"

while [ $# -gt 0 ]; do
  case "$1" in
    --sizes) SIZES="$2"; shift 2 ;;
    --with-1m) SIZES="$SIZES 1000000"; shift ;;
    --runs) RUNS="$2"; shift 2 ;;
    --runs-large) RUNS_LARGE="$2"; shift 2 ;;
    --django-max) DJANGO_MAX="$2"; shift 2 ;;
    --django-runs) DJANGO_RUNS="$2"; shift 2 ;;
    --django-timeout) DJANGO_TIMEOUT="$2"; shift 2 ;;
    --no-xmx64) XMX64=0; shift ;;
    --encrypted) ENCRYPTED=1; shift ;;
    --no-empty) EMPTY=0; shift ;;
    --no-django) DJANGO=0; shift ;;
    --no-verify) VERIFY=0; shift ;;
    --ours) OURS_MODE="$2"; shift 2 ;;
    --report) REPORT="$2"; shift 2 ;;
    --seed) SEED="$2"; shift 2 ;;
    --nice) NICE="$2"; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
  esac
done

log() { echo "[bench $(date +%H:%M:%S)] $*" >&2; }
die() { echo "run.sh: $*" >&2; exit 1; }

# ---------------------------------------------------------------------------------------------- tools
if [ ! -x /usr/bin/time ] || ! /usr/bin/time -f '%M' true >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    log "installing GNU time (Debian package 'time')"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null || {
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null; }
  fi
  [ -x /usr/bin/time ] || die "GNU time is needed at /usr/bin/time (apt-get install time)"
fi
command -v sqlite3 >/dev/null || die "the sqlite3 command line is needed (apt-get install sqlite3)"
command -v java >/dev/null || die "java 17 is needed"
$PY -c 'import django' 2>/dev/null || die "Debian's python3-django is needed at $PY (apt-get install python3-django)"

mkdir -p "$OUT"
JAR_SRC="$REPO/backup-cli/target/django-user-backup.jar"
if [ ! -f "$JAR_SRC" ]; then
  log "building the jar (mvn -q -B -DskipTests package)"
  (cd "$REPO" && mvn -q -B -DskipTests package) || die "the jar does not build; see mvn output above"
fi
# A private copy, so a rebuild during the run cannot change the code under test half-way.
JAR="$OUT/django-user-backup.jar"
cp -p "$JAR_SRC" "$JAR"
JAR_SHA="$(sha256sum "$JAR" | cut -c1-12)"

if [ "$OURS_MODE" = auto ]; then
  if java -jar "$JAR" --help 2>&1 | grep -q 'export' && java -jar "$JAR" import --help 2>&1 | grep -q -- '--mode'; then
    OURS_MODE=cli
  else
    OURS_MODE=library
  fi
fi
case "$OURS_MODE" in
  cli)
    # Exactly what users run: the ./django-user-backup launcher (its JVM options, class-data-sharing archive and
    # unpacked SQLite library), pointed at the private copy of the jar so a rebuild during the run changes nothing.
    OURS_LAUNCH="env DJANGO_USER_BACKUP_JAR=$JAR $REPO/django-user-backup"
    # The launcher makes its archive and unpacks the library on its first run; that run is not measured.
    rm -rf "$OUT/django-user-backup.jsa" "$OUT/native"
    $OURS_LAUNCH export --quiet --db "$REPO/examples/example.sqlite3" - >/dev/null ;;
  library)
    mkdir -p "$OUT/classes"
    javac -nowarn -d "$OUT/classes" -cp "$JAR" "$HERE/java/BenchCli.java" || die "cannot compile bench/java/BenchCli.java"
    OURS_LAUNCH="java -cp $JAR:$OUT/classes BenchCli" ;;
  *) die "--ours must be auto, cli or library" ;;
esac
log "our tool runs as: $OURS_LAUNCH (mode $OURS_MODE, jar sha256 $JAR_SHA)"

# ------------------------------------------------------------------------------------- bookkeeping
RESULTS="$OUT/results.tsv"
COMMANDS="$OUT/commands.txt"
printf 'n\ttool\top\trun\tseconds\trss_kb\tstatus\tmeasured_n\n' > "$RESULTS"
: > "$COMMANDS"
: > "$OUT/failures.txt"
cat > "$OUT/meta.env" <<EOF
OURS_MODE=$OURS_MODE
OURS_LAUNCH=$(echo "$OURS_LAUNCH" | sed "s#$OUT/#bench/out/#g; s#$REPO/django-user-backup#./django-user-backup#g; s#$REPO/##g")
JAR_SHA=$JAR_SHA
JAR_BUILT=$(date -u -r "$JAR" +%Y-%m-%dT%H:%M:%SZ)
RUNS=$RUNS
RUNS_LARGE=$RUNS_LARGE
DJANGO_MAX=$DJANGO_MAX
DJANGO_RUNS=$DJANGO_RUNS
DJANGO_TIMEOUT=$DJANGO_TIMEOUT
SEED=$SEED
NICE=$NICE
SIZES=$SIZES
GIT_COMMIT=$(cd "$REPO" && git rev-parse --short HEAD 2>/dev/null || echo unknown)
GIT_DIRTY=$(cd "$REPO" && git status --porcelain --untracked-files=no -- backup-model backup-core backup-cli pom.xml 2>/dev/null | wc -l)
STARTED=$(date -u +%Y-%m-%dT%H:%M:%SZ)
LOAD_START=$(cut -d" " -f1-3 /proc/loadavg)
EOF

# Records a command once per (tool, op) in commands.txt, with bench/out paths made relative.
note_command() {
  local key="$1"; shift
  grep -q "^$key	" "$COMMANDS" 2>/dev/null && return 0
  printf '%s\t%s\n' "$key" "$(echo "$*" | sed "s#$OUT/#bench/out/#g; s#$REPO/django-user-backup#./django-user-backup#g; s#$REPO/##g")" >> "$COMMANDS"
}

# measure N TOOL OP RUN MEASURED_N CMD...: runs CMD under GNU time, appends a line to results.tsv.
measure() {
  local n="$1" tool="$2" op="$3" run="$4" measured="$5"; shift 5
  local tf="$OUT/time.$$" status=ok
  local -a pre=()
  if [ -n "$NICE" ]; then pre=(nice -n "$NICE"); fi
  case "$tool" in django*) pre+=(timeout --kill-after=10 "$DJANGO_TIMEOUT") ;; esac
  if ! /usr/bin/time -f '%e %M' -o "$tf" "${pre[@]}" "$@" >"$OUT/last.stdout" 2>"$OUT/last.stderr"; then
    status=failed
    case "$tool" in django*) if grep -q 'status 124\|signal 9' "$tf"; then status=timeout; fi ;; esac
    log "$tool $op N=$measured run $run: $status; stderr tail:"; tail -5 "$OUT/last.stderr" >&2
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$n" "$tool" "$op" "$run" "$status" \
      "$(grep -v '^SLF4J' "$OUT/last.stderr" | tail -1 | cut -c1-300)" >> "$OUT/failures.txt"
  fi
  local secs rss
  secs=""; rss=""
  read -r secs rss < <(grep -E '^[0-9.]+ [0-9]+$' "$tf" | tail -1) || true
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$n" "$tool" "$op" "$run" "${secs:-NA}" "${rss:-NA}" "$status" "$measured" >> "$RESULTS"
  log "$tool $op N=$measured run $run: ${secs:-?} s, peak RSS ${rss:-?} KB ($status)"
  rm -f "$tf"
  [ "$status" = ok ]
}

# ------------------------------------------------------------------------------------------ data
FRESH="$OUT/fresh.sqlite3"
log "migrating a fresh Django database (the target of every import)"
$PY "$HERE/generate.py" --migrated-only --force --out "$FRESH"

ensure_db() {  # ensure_db N: generated database for N users (kept between runs for the same seed)
  local n="$1" db="$OUT/db-$1.sqlite3"
  if [ ! -f "$db" ] || [ "$(cat "$db.seed" 2>/dev/null)" != "$SEED" ]; then
    log "generating $n users"
    $PY "$HERE/generate.py" --users "$n" --seed "$SEED" --template "$FRESH" --force --out "$db"
    echo "$SEED" > "$db.seed"
  fi
}

fresh_copy() { rm -f "$1" "$1-journal"; cp "$FRESH" "$1"; }

DJANGO_DIR="$REPO/interop/djangoproject"
django_dump() {  # django_dump DB OUT
  (cd "$DJANGO_DIR" && DJANGO_DB_PATH="$1" DJANGO_USER_VARIANT=default \
    "$PY" manage.py dumpdata auth.user auth.group chat --natural-foreign -o "$2")
}
django_load() {  # django_load DB IN
  (cd "$DJANGO_DIR" && DJANGO_DB_PATH="$1" DJANGO_USER_VARIANT=default "$PY" manage.py loaddata "$2")
}
export -f django_dump django_load
export PY DJANGO_DIR

run_tools() {  # run_tools N RUNS
  local n="$1" runs="$2" db="$OUT/db-$1.sqlite3" r
  local s_out="$OUT/sqlite-$n.json" o_out="$OUT/ours-$n.json" t="$OUT/target.sqlite3"

  for r in $(seq 1 "$runs"); do
    rm -f "$s_out"
    note_command "sqlite3 export" "sqlite3 -batch -readonly DB < bench/sqlite/export.sql > OUT.json"
    measure "$n" sqlite3 export "$r" "$n" sh -c 'sqlite3 -batch -readonly "$1" < "$2" > "$3"' _ "$db" "$HERE/sqlite/export.sql" "$s_out" || true
    fresh_copy "$t"
    note_command "sqlite3 import" "sqlite3 -batch -bail -cmd \".parameter set @in 'IN.json'\" DB < bench/sqlite/import.sql"
    measure "$n" sqlite3 import "$r" "$n" sh -c 'sqlite3 -batch -bail -cmd ".parameter set @in '"'"'$3'"'"'" "$1" < "$2"' _ "$t" "$HERE/sqlite/import.sql" "$s_out" || true
    if [ "$r" = 1 ]; then cp "$t" "$OUT/imported-sqlite-$n.sqlite3"; fi

    for variant in ours ours-xmx64m ours-enc-xmx64m; do
      local jvm="" out="$o_out" encrypt="" name="OUT.json" env_prefix=""
      if [ "$variant" = ours-xmx64m ]; then
        [ "$XMX64" = 1 ] || continue
        jvm="-Xmx64m"
      fi
      if [ "$variant" = ours-enc-xmx64m ]; then
        [ "$ENCRYPTED" = 1 ] || continue
        jvm="-Xmx64m"; out="$OUT/ours-$n.json.enc"; encrypt="--encrypt"; name="OUT.json.enc"
        env_prefix="env DJANGO_USER_BACKUP_PASSPHRASE=bench-passphrase"
      fi
      local launch="$OURS_LAUNCH"
      if [ -n "$jvm" ]; then launch="env DJANGO_USER_BACKUP_JAVA_OPTS=$jvm ${OURS_LAUNCH#env }"; fi
      rm -f "$out"
      note_command "$variant export" "${env_prefix:+DJANGO_USER_BACKUP_PASSPHRASE=... }$launch export --db DB $encrypt ${name}"
      # shellcheck disable=SC2086
      measure "$n" "$variant" export "$r" "$n" $env_prefix $launch export --db "$db" $encrypt "$out" || true
      fresh_copy "$t"
      note_command "$variant import" "${env_prefix:+DJANGO_USER_BACKUP_PASSPHRASE=... }$launch import --db DB --mode replace --yes ${name/OUT/IN}"
      # shellcheck disable=SC2086
      measure "$n" "$variant" import "$r" "$n" $env_prefix $launch import --db "$t" --mode replace --yes "$out" || true
      if [ "$r" = 1 ] && [ "$variant" = ours ]; then cp "$t" "$OUT/imported-ours-$n.sqlite3"; fi
    done
  done
}

run_django() {  # run_django N (at N, measured at min(N, DJANGO_MAX))
  local n="$1" m="$1" r
  if [ "$n" -gt "$DJANGO_MAX" ]; then m="$DJANGO_MAX"; fi
  if grep -q "^$m	django	" "$RESULTS" && [ "$m" != "$n" ]; then
    log "Django at N=$n: reusing the measurement at N=$m"
    awk -F'\t' -v n="$n" -v m="$m" 'NR>1 && $1==m && $2=="django" && $8==m {OFS="\t"; $1=n; print}' "$RESULTS" > "$OUT/reuse.tsv"
    cat "$OUT/reuse.tsv" >> "$RESULTS"
    return
  fi
  ensure_db "$m"
  local db="$OUT/db-$m.sqlite3" d_out="$OUT/django-$m.json" t="$OUT/target.sqlite3"
  for r in $(seq 1 "$DJANGO_RUNS"); do
    rm -f "$d_out"
    note_command "django export" "cd interop/djangoproject && DJANGO_DB_PATH=DB /usr/bin/python3 manage.py dumpdata auth.user auth.group chat --natural-foreign -o OUT.json"
    measure "$n" django export "$r" "$m" bash -c 'django_dump "$1" "$2"' _ "$db" "$d_out" || true
    fresh_copy "$t"
    note_command "django import" "cd interop/djangoproject && DJANGO_DB_PATH=DB /usr/bin/python3 manage.py loaddata IN.json"
    if [ -f "$d_out" ]; then
      measure "$n" django import "$r" "$m" bash -c 'django_load "$1" "$2"' _ "$t" "$d_out" || true
    fi
  done
}

verify() {  # verify N: same data in both exports; both imports give back the source's data
  local n="$1" v="$OUT/verify-$n.txt"
  log "verifying N=$n"
  {
    echo "### N=$n: our export vs the sqlite3 reference export"
    $PY "$HERE/compare.py" "$OUT/ours-$n.json" "$OUT/sqlite-$n.json" || true
    if [ "$n" -ge 1000000 ]; then
      echo "(at N >= 1,000,000 only the two exports are compared, to keep the run short)"
    else
      for who in ours sqlite; do
        echo "### N=$n: database after the $who import, exported by sqlite3, vs the source"
        sqlite3 -batch -readonly "$OUT/imported-$who-$n.sqlite3" < "$HERE/sqlite/export.sql" > "$OUT/roundtrip-$who-$n.json"
        $PY "$HERE/compare.py" "$OUT/roundtrip-$who-$n.json" "$OUT/sqlite-$n.json" || true
        rm -f "$OUT/roundtrip-$who-$n.json"
      done
    fi
  } > "$v" 2>&1 || true
  cat "$v" >&2
}

# ------------------------------------------------------------------------------------------- run
if [ "$EMPTY" = 1 ]; then SIZES="0 $SIZES"; fi
SORTED_SIZES="$(printf '%s\n' $SIZES | sort -n | uniq | tr '\n' ' ')"
for n in $SORTED_SIZES; do
  ensure_db "$n"
  runs="$RUNS"
  if [ "$n" -ge 1000000 ]; then runs="$RUNS_LARGE"; fi
  log "N=$n: $runs run(s) of sqlite3 and ours"
  run_tools "$n" "$runs"
  if [ "$VERIFY" = 1 ]; then verify "$n"; fi
  if [ "$DJANGO" = 1 ]; then run_django "$n"; fi
  sizes_db="$(du -k "$OUT/db-$n.sqlite3" | cut -f1)"
  printf 'SIZE_%s=db:%sKB ours:%sKB sqlite:%sKB django:%sKB\n' "$n" "$sizes_db" \
    "$(du -k "$OUT/ours-$n.json" 2>/dev/null | cut -f1)" "$(du -k "$OUT/sqlite-$n.json" 2>/dev/null | cut -f1)" \
    "$(du -k "$OUT/django-$(( n > DJANGO_MAX ? DJANGO_MAX : n )).json" 2>/dev/null | cut -f1)" >> "$OUT/meta.env"
done
echo "FINISHED=$(date -u +%Y-%m-%dT%H:%M:%SZ)" >> "$OUT/meta.env"
echo "LOAD_END=$(cut -d" " -f1-3 /proc/loadavg)" >> "$OUT/meta.env"

log "writing $REPORT"
$PY "$HERE/report.py" --out-dir "$OUT" --report "$REPORT"
log "done"
