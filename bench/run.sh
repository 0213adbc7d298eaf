#!/usr/bin/env bash
# Benchmark harness: django-user-backup vs SQLite's own engine (sqlite3 CLI + JSON functions), vs the servers' own
# clients (psql, mysql) on PostgreSQL and MariaDB, vs Django's dumpdata/loaddata, on generated Django databases
# with N users; and the tool's fixed start-up cost. Writes docs/BENCHMARKS.md.
#
#   bench/run.sh                      # N = 0 (empty), 10000, 100000 on SQLite; 5 alternating runs; start-up
#   bench/run.sh --engines "sqlite postgresql mariadb" --sizes 100000 --no-django     # the servers too
#   bench/run.sh --sizes 10000 --runs 5 --report /tmp/b.md
#
# Options (environment variables of the same name in capitals work too):
#   --sizes "N ..."      user counts (default "10000 100000")
#   --with-1m            add 1000000 to the sizes (SQLite only unless --server-sizes names it)
#   --server-sizes "N ..."
#                        user counts at which PostgreSQL and MariaDB run (default: every size below 1000000), so
#                        that --with-1m measures SQLite at 1,000,000 without copying a million users into the servers
#   --runs R             timed runs per tool and operation (default 5, at least 5 for a figure the report calls
#                        met); the tool and its reference alternate (reference, ours, reference, ours, ...)
#   --runs-large R       runs at N >= 1000000 (default: --runs)
#   --engines "E ..."    sqlite, postgresql, mariadb (default "sqlite"); the servers' databases are copies of the
#                        SQLite data (bench/generate.py --copy-to), measured against psql / mysql
#   --django-max N       largest N at which Django's dumpdata/loaddata are run (default 100000); above it
#                        Django's times are extrapolated linearly from the run at that N, and labelled so
#   --django-runs R      runs of Django per operation (default 1: one loaddata at 10k takes over a minute)
#   --django-timeout S   kill a Django run after S seconds and report it as timed out (default 900)
#   --no-empty           skip N=0 (an empty database: the fixed cost of start-up, schema checks, header)
#   --no-startup         skip the start-up figures (export of examples/example.sqlite3: the launcher, plain java -jar,
#                        and the floor: the JVM alone, and the JVM with sqlite-jdbc and Jackson, bench/java/StartupFloor)
#   --no-fixture         skip the test-fixture figures (bench/java/FixtureBench.java: backup-junit's @RestoreBackup,
#                        a 100-user fixture restored once, then a copy of the pristine file per test, alternating
#                        with a plain copy of the same file)
#   --fixture-runs R     processes of FixtureBench (default 5; each is one test run: one cold restore, then rounds)
#   --fixture-rounds K   per-test copies (and plain copies, alternating) in each process (default 50)
#   --startup-runs R     runs of each start-up figure (default 10)
#   --no-xmx64           skip the -Xmx64m runs of our tool
#   --xmx64-runs-large R only the first R rounds at N >= 1000000 also run our tool under -Xmx64m (default: every
#                        round); the memory figure needs one run, and at 1,000,000 users each costs about a minute
#   --encrypted          also run our tool with --encrypt under -Xmx64m (the passphrase from the environment):
#                        encrypted export and import must stay in the same small heap
#   --no-django          skip Django
#   --no-verify          skip the data-equality checks (export vs export, import round trip)
#   --ours auto|cli|library
#                        how to run our tool: the CLI through the ./django-user-backup launcher, or
#                        bench/java/BenchCli.java calling backup-core directly (used only when the CLI cannot run
#                        the commands; it has no verify); default auto
#   --sqlite3 PATH       the reference's sqlite3 (default: built by bench/build-sqlite3.sh with the compile-time
#                        options of the SQLite in our jar; needs SQLite >= 3.45 for JSONB)
#   --allow-dirty        measure even with uncommitted changes to what is measured (the report then says, at the
#                        top, that its figures belong to no commit); without it run.sh refuses
#   --report FILE        Markdown output (default docs/BENCHMARKS.md)
#   --seed S             generator seed (default 42)
#   --nice N             run every measured command under `nice -n N` (e.g. -10 on a shared machine, as root);
#                        the same for every tool, recorded in the report
#
# Everything generated (databases, backups, raw timings) goes to bench/out/ (git-ignored).
# Needs: Java 17, Maven (to build the jar when it is older than the sources), gcc and npm (to build the reference's
# sqlite3 once), Debian's python3-django at /usr/bin/python3, GNU time at /usr/bin/time (installed with apt-get
# when missing and run as root); for the servers psql / mysql and the test servers of .ci/start-postgres and
# .ci/start-mariadb (role / user dub).
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
OUT="$HERE/out"
PY=/usr/bin/python3

SIZES="${SIZES:-10000 100000}"
RUNS="${RUNS:-5}"
RUNS_LARGE="${RUNS_LARGE:-}"
ENGINES="${ENGINES:-sqlite}"
STARTUP="${STARTUP:-1}"
STARTUP_RUNS="${STARTUP_RUNS:-10}"
SERVER_SIZES="${SERVER_SIZES:-}"
FIXTURE="${FIXTURE:-1}"
FIXTURE_RUNS="${FIXTURE_RUNS:-5}"
FIXTURE_ROUNDS="${FIXTURE_ROUNDS:-50}"
SQLITE3="${SQLITE3:-build}"
ALLOW_DIRTY="${ALLOW_DIRTY:-0}"
DJANGO_MAX="${DJANGO_MAX:-100000}"
DJANGO_RUNS="${DJANGO_RUNS:-1}"
DJANGO_TIMEOUT="${DJANGO_TIMEOUT:-900}"
XMX64="${XMX64:-1}"
XMX64_RUNS_LARGE="${XMX64_RUNS_LARGE:-}"
ENCRYPTED="${ENCRYPTED:-0}"
EMPTY="${EMPTY:-1}"
DJANGO="${DJANGO:-1}"
VERIFY="${VERIFY:-1}"
OURS_MODE="${OURS:-auto}"
REPORT="${REPORT:-$REPO/docs/BENCHMARKS.md}"
SEED="${SEED:-42}"
NICE="${NICE:-}"

ORIGINAL_ARGS=("$@")
while [ $# -gt 0 ]; do
  case "$1" in
    --sizes) SIZES="$2"; shift 2 ;;
    --with-1m) SIZES="$SIZES 1000000"; shift ;;
    --runs) RUNS="$2"; shift 2 ;;
    --runs-large) RUNS_LARGE="$2"; shift 2 ;;
    --engines) ENGINES="$2"; shift 2 ;;
    --no-startup) STARTUP=0; shift ;;
    --startup-runs) STARTUP_RUNS="$2"; shift 2 ;;
    --server-sizes) SERVER_SIZES="$2"; shift 2 ;;
    --no-fixture) FIXTURE=0; shift ;;
    --fixture-runs) FIXTURE_RUNS="$2"; shift 2 ;;
    --fixture-rounds) FIXTURE_ROUNDS="$2"; shift 2 ;;
    --sqlite3) SQLITE3="$2"; shift 2 ;;
    --allow-dirty) ALLOW_DIRTY=1; shift ;;
    --django-max) DJANGO_MAX="$2"; shift 2 ;;
    --django-runs) DJANGO_RUNS="$2"; shift 2 ;;
    --django-timeout) DJANGO_TIMEOUT="$2"; shift 2 ;;
    --no-xmx64) XMX64=0; shift ;;
    --xmx64-runs-large) XMX64_RUNS_LARGE="$2"; shift 2 ;;
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

RUNS_LARGE="${RUNS_LARGE:-$RUNS}"
if [ -z "$SERVER_SIZES" ]; then
  SERVER_SIZES="$(for n in $([ "$EMPTY" = 1 ] && echo 0) $SIZES; do if [ "$n" -lt 1000000 ]; then echo "$n"; fi; done | tr '\n' ' ')"
fi
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
command -v java >/dev/null || die "java 17 is needed"
$PY -c 'import django' 2>/dev/null || die "Debian's python3-django is needed at $PY (apt-get install python3-django)"

# What the figures measure must be a commit: the launcher, the harness and every module's sources and poms.
MEASURED_PATHS=(django-user-backup bench pom.xml backup-bom backup-model backup-core backup-cli backup-junit examples interop/djangoproject)
DIRTY="$(cd "$REPO" && git status --porcelain --untracked-files=all -- "${MEASURED_PATHS[@]}" 2>/dev/null || echo '?? not a git repository')"
if [ -n "$DIRTY" ]; then
  if [ "$ALLOW_DIRTY" != 1 ]; then
    echo "$DIRTY" | head -20 >&2
    die "uncommitted changes in what is measured (above); commit them, or --allow-dirty for a run whose report says it belongs to no commit"
  fi
  log "WARNING: uncommitted changes in what is measured; the report will say so"
fi

mkdir -p "$OUT"
JAR_SRC="$REPO/backup-cli/target/django-user-backup.jar"
# The jar must be built from the sources measured: rebuilt when any source or pom is newer (as the launcher does).
if [ ! -f "$JAR_SRC" ] || [ -n "$(cd "$REPO" && find pom.xml backup-*/pom.xml backup-*/src/main -newer "$JAR_SRC" -type f -print -quit 2>/dev/null)" ]; then
  log "building the jar (mvn -q -B -DskipTests -pl backup-cli -am package)"
  (cd "$REPO" && mvn -q -B -DskipTests -pl backup-cli -am package) || die "the jar does not build; see mvn output above"
fi
# A private copy, so a rebuild during the run cannot change the code under test half-way.
JAR="$OUT/django-user-backup.jar"
cp -p "$JAR_SRC" "$JAR"
JAR_SHA="$(sha256sum "$JAR" | cut -c1-12)"

# The reference's sqlite3: the newest SQLite this machine can build offline, with the jar's compile-time options.
if [ "$SQLITE3" = build ]; then
  SQLITE3="$("$HERE/build-sqlite3.sh" "$JAR" "$OUT")" || die "cannot build the reference's sqlite3 (bench/build-sqlite3.sh); or pass --sqlite3 PATH"
fi
command -v "$SQLITE3" >/dev/null || die "no sqlite3 at $SQLITE3"
SQLITE3_VERSION="$("$SQLITE3" :memory: 'SELECT sqlite_version()')"
"$SQLITE3" :memory: "SELECT jsonb('[1]')" >/dev/null 2>&1 \
  || die "the reference needs SQLite >= 3.45 (JSONB) and $SQLITE3 is $SQLITE3_VERSION: leave --sqlite3 out to build one"

ours_cmd() {  # ours_cmd JVM_OPTIONS: how our tool runs, with extra JVM options (may be empty)
  case "$OURS_MODE" in
    # Exactly what users run: the ./django-user-backup launcher (its JVM options, class-data-sharing archive and
    # unpacked SQLite library), pointed at the private copy of the jar so a rebuild during the run changes nothing.
    cli) echo "env ${1:+DJANGO_USER_BACKUP_JAVA_OPTS=$1 }DJANGO_USER_BACKUP_JAR=$JAR $REPO/django-user-backup" ;;
    library) echo "java ${1:+$1 }-cp $JAR:$OUT/classes BenchCli" ;;
  esac
}
if [ "$OURS_MODE" = auto ]; then
  if java -jar "$JAR" --help 2>&1 | grep -q 'export' && java -jar "$JAR" import --help 2>&1 | grep -q -- '--mode'; then
    OURS_MODE=cli
  else
    OURS_MODE=library
  fi
fi
case "$OURS_MODE" in
  cli)
    # The launcher makes its archive and unpacks the library on its first run; that run is not measured.
    rm -rf "$OUT/django-user-backup.jsa" "$OUT/native"
    $(ours_cmd "") export --quiet --db "$REPO/examples/example.sqlite3" - >/dev/null ;;
  library)
    mkdir -p "$OUT/classes"
    javac -nowarn -d "$OUT/classes" -cp "$JAR" "$HERE/java/BenchCli.java" || die "cannot compile bench/java/BenchCli.java" ;;
  *) die "--ours must be auto, cli or library" ;;
esac
OURS_LAUNCH="$(ours_cmd "")"
log "our tool runs as: $OURS_LAUNCH (mode $OURS_MODE, jar sha256 $JAR_SHA); reference sqlite3 $SQLITE3_VERSION"

# ------------------------------------------------------------------------------------- bookkeeping
RESULTS="$OUT/results.tsv"
COMMANDS="$OUT/commands.txt"
printf 'n\tengine\ttool\top\trun\tseconds\trss_kb\tstatus\tmeasured_n\tload1\n' > "$RESULTS"
: > "$COMMANDS"
: > "$OUT/failures.txt"
rm -f "$OUT"/verify-*.txt "$OUT/fixture-rounds.tsv" "$OUT/fixture-phases.txt"
COMMAND_ARGS=""
if [ ${#ORIGINAL_ARGS[@]} -gt 0 ]; then COMMAND_ARGS="$(printf ' %q' "${ORIGINAL_ARGS[@]}")"; fi
cat > "$OUT/meta.env" <<EOF
OURS_MODE=$OURS_MODE
OURS_LAUNCH=$(echo "$OURS_LAUNCH" | sed "s#$OUT/#bench/out/#g; s#$REPO/django-user-backup#./django-user-backup#g; s#$REPO/##g")
JAR_SHA=$JAR_SHA
JAR_BUILT=$(date -u -r "$JAR" +%Y-%m-%dT%H:%M:%SZ)
RUNS=$RUNS
RUNS_LARGE=$RUNS_LARGE
XMX64_RUNS_LARGE=$XMX64_RUNS_LARGE
STARTUP_RUNS=$STARTUP_RUNS
FIXTURE_RUNS=$([ "$FIXTURE" = 1 ] && echo "$FIXTURE_RUNS" || echo 0)
FIXTURE_ROUNDS=$FIXTURE_ROUNDS
SERVER_SIZES=$SERVER_SIZES
ENGINES=$ENGINES
DJANGO_MAX=$DJANGO_MAX
DJANGO_RUNS=$DJANGO_RUNS
DJANGO_TIMEOUT=$DJANGO_TIMEOUT
SEED=$SEED
NICE=$NICE
SIZES=$SIZES
SQLITE3_VERSION=$SQLITE3_VERSION
SQLITE3_BINARY=$(echo "$SQLITE3" | sed "s#$OUT/#bench/out/#g")
GIT_COMMIT=$(cd "$REPO" && git rev-parse HEAD 2>/dev/null || echo unknown)
GIT_DIRTY=$(echo -n "$DIRTY" | grep -c . || true)
COMMAND=bench/run.sh$COMMAND_ARGS
STARTED=$(date -u +%Y-%m-%dT%H:%M:%SZ)
LOAD_START=$(cut -d" " -f1-3 /proc/loadavg)
EOF

# Records a command once per (tool, op) in commands.txt, with bench/out paths made relative.
note_command() {
  local key="$1"; shift
  grep -q "^$key	" "$COMMANDS" 2>/dev/null && return 0
  printf '%s\t%s\n' "$key" "$(echo "$*" | sed "s#$OUT/#bench/out/#g; s#$REPO/django-user-backup#./django-user-backup#g; s#$REPO/##g")" >> "$COMMANDS"
}

# measure N ENGINE TOOL OP RUN MEASURED_N CMD...: runs CMD under GNU time, appends a line to results.tsv with the
# 1-minute load average read just before the run.
measure() {
  local n="$1" engine="$2" tool="$3" op="$4" run="$5" measured="$6"; shift 6
  local tf="$OUT/time.$$" status=ok load
  local -a pre=()
  if [ -n "$NICE" ]; then pre=(nice -n "$NICE"); fi
  case "$tool" in django*) pre+=(timeout --kill-after=10 "$DJANGO_TIMEOUT") ;; esac
  load="$(cut -d' ' -f1 /proc/loadavg)"
  if ! /usr/bin/time -f '%e %M' -o "$tf" "${pre[@]}" "$@" >"$OUT/last.stdout" 2>"$OUT/last.stderr"; then
    status=failed
    case "$tool" in django*) if grep -q 'status 124\|signal 9' "$tf"; then status=timeout; fi ;; esac
    log "$engine $tool $op N=$measured run $run: $status; stderr tail:"; tail -5 "$OUT/last.stderr" >&2
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$n" "$engine/$tool" "$op" "$run" "$status" \
      "$(grep -v '^SLF4J' "$OUT/last.stderr" | tail -1 | cut -c1-300)" >> "$OUT/failures.txt"
  fi
  local secs rss
  secs=""; rss=""
  read -r secs rss < <(grep -E '^[0-9.]+ [0-9]+$' "$tf" | tail -1) || true
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$n" "$engine" "$tool" "$op" "$run" "${secs:-NA}" "${rss:-NA}" "$status" "$measured" "$load" >> "$RESULTS"
  log "$engine $tool $op N=$measured run $run: ${secs:-?} s, peak RSS ${rss:-?} KB ($status, load $load)"
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

run_tools() {  # run_tools N RUNS: sqlite3 and ours alternate within every run (reference first)
  local n="$1" runs="$2" db="$OUT/db-$1.sqlite3" r
  local s_out="$OUT/sqlite-$n.json" o_out="$OUT/ours-$n.json" t="$OUT/target.sqlite3"
  local ours
  ours="$(ours_cmd "")"

  for r in $(seq 1 "$runs"); do
    rm -f "$s_out" "$o_out"
    note_command "sqlite3 export" "sqlite3 -batch -readonly DB < bench/sqlite/export.sql > OUT.json"
    measure "$n" sqlite sqlite3 export "$r" "$n" sh -c '"$4" -batch -readonly "$1" < "$2" > "$3"' _ "$db" "$HERE/sqlite/export.sql" "$s_out" "$SQLITE3" || true
    note_command "ours export" "$ours export --db DB OUT.json"
    # shellcheck disable=SC2086
    measure "$n" sqlite ours export "$r" "$n" $ours export --db "$db" "$o_out" || true

    fresh_copy "$t"
    note_command "sqlite3 import" "sqlite3 -batch -bail -cmd \".parameter set @in 'IN.json'\" DB < bench/sqlite/import.sql"
    measure "$n" sqlite sqlite3 import "$r" "$n" sh -c '"$4" -batch -bail -cmd ".parameter set @in '"'"'$3'"'"'" "$1" < "$2"' _ "$t" "$HERE/sqlite/import.sql" "$s_out" "$SQLITE3" || true
    if [ "$r" = 1 ]; then cp "$t" "$OUT/imported-sqlite-$n.sqlite3"; fi
    fresh_copy "$t"
    note_command "ours import" "$ours import --db DB --mode replace --yes IN.json"
    # shellcheck disable=SC2086
    measure "$n" sqlite ours import "$r" "$n" $ours import --db "$t" --mode replace --yes "$o_out" || true
    if [ "$r" = 1 ]; then cp "$t" "$OUT/imported-ours-$n.sqlite3"; fi

    # verify: both read our backup file; the reference checks its digest and that it is valid JSON.
    if [ "$OURS_MODE" = cli ]; then
      note_command "sqlite3 verify" "sha256sum IN.json && sqlite3 -batch -cmd \".parameter set @in 'IN.json'\" :memory: \"SELECT json_valid(CAST(readfile(@in) AS TEXT))\""
      measure "$n" sqlite sqlite3 verify "$r" "$n" sh -c 'sha256sum "$1" && test "$("$2" -batch -cmd ".parameter set @in '"'"'$1'"'"'" :memory: "SELECT json_valid(CAST(readfile(@in) AS TEXT))")" = 1' _ "$o_out" "$SQLITE3" || true
      note_command "ours verify" "$ours verify IN.json"
      # shellcheck disable=SC2086
      measure "$n" sqlite ours verify "$r" "$n" $ours verify "$o_out" || true
    fi

    for variant in ours-xmx64m ours-enc-xmx64m; do
      local out="$o_out.x" encrypt="" name="OUT.json" env_prefix="" launch
      if [ "$variant" = ours-xmx64m ] && [ "$XMX64" != 1 ]; then continue; fi
      if [ "$n" -ge 1000000 ] && [ -n "$XMX64_RUNS_LARGE" ] && [ "$r" -gt "$XMX64_RUNS_LARGE" ]; then continue; fi
      if [ "$variant" = ours-enc-xmx64m ]; then
        [ "$ENCRYPTED" = 1 ] || continue
        out="$OUT/ours-$n.json.enc"; encrypt="--encrypt"; name="OUT.json.enc"
        env_prefix="env DJANGO_USER_BACKUP_PASSPHRASE=bench-passphrase"
      fi
      launch="$(ours_cmd -Xmx64m)"
      rm -f "$out"
      note_command "$variant export" "${env_prefix:+DJANGO_USER_BACKUP_PASSPHRASE=... }$launch export --db DB $encrypt ${name}"
      # shellcheck disable=SC2086
      measure "$n" sqlite "$variant" export "$r" "$n" $env_prefix $launch export --db "$db" $encrypt "$out" || true
      fresh_copy "$t"
      note_command "$variant import" "${env_prefix:+DJANGO_USER_BACKUP_PASSPHRASE=... }$launch import --db DB --mode replace --yes ${name/OUT/IN}"
      # shellcheck disable=SC2086
      measure "$n" sqlite "$variant" import "$r" "$n" $env_prefix $launch import --db "$t" --mode replace --yes "$out" || true
      rm -f "$out"
    done
  done
}

run_startup() {  # the fixed cost: export of the bundled example database, the launcher and plain java -jar alternating
  local ex="$REPO/examples/example.sqlite3" r ours
  ours="$(ours_cmd "")"
  [ "$OURS_MODE" = cli ] || { log "start-up: skipped (our tool runs as a library stand-in)"; return; }
  log "start-up: $STARTUP_RUNS alternating runs of the launcher and plain java -jar (export of examples/example.sqlite3)"
  note_command "startup launcher" "$ours export --quiet --db examples/example.sqlite3 -"
  note_command "startup java-jar" "java -jar bench/out/django-user-backup.jar export --quiet --db examples/example.sqlite3 -"
  note_command "startup sqlite3" "sqlite3 -batch -readonly examples/example.sqlite3 < bench/sqlite/export.sql"
  # The floor (bench/java/StartupFloor.java): the JVM alone, then the JVM with sqlite-jdbc and Jackson writing the
  # example's users as JSON, with the launcher's JVM options, its own archive (made as the launcher makes one) and
  # the launcher's unpacked SQLite library: what any Java export on these libraries pays before our code runs.
  mkdir -p "$OUT/classes"
  javac -nowarn -d "$OUT/classes" -cp "$JAR" "$HERE/java/StartupFloor.java" || die "cannot compile bench/java/StartupFloor.java"
  local floor_jsa="$OUT/startup-floor.jsa" lib archive
  local -a floor=(java -XX:+UseSerialGC -Xmn16m -Xlog:all=off -Xlog:all=error:stderr)
  lib="$(find "$OUT/native" -name libsqlitejdbc.so 2>/dev/null | head -1)"
  if [ -n "$lib" ]; then floor+=(-Dorg.sqlite.lib.path="${lib%/*}" -Dorg.sqlite.lib.name=libsqlitejdbc.so); fi
  floor+=(-cp "$JAR:$OUT/classes")
  rm -f "$floor_jsa"
  for archive in -XX:AOTCacheOutput -XX:ArchiveClassesAtExit; do
    if "${floor[0]}" "$archive=$floor_jsa" "${floor[@]:1}" StartupFloor "$ex" >/dev/null 2>&1 && [ -f "$floor_jsa" ]; then break; fi
    rm -f "$floor_jsa"
  done
  if [ -f "$floor_jsa" ]; then floor=("${floor[0]}" -XX:SharedArchiveFile="$floor_jsa" -Xshare:auto "${floor[@]:1}"); fi
  note_command "startup floor-jvm" "$(echo "${floor[*]} StartupFloor" | sed "s#$OUT/#bench/out/#g")"
  note_command "startup floor-driver" "$(echo "${floor[*]} StartupFloor examples/example.sqlite3" | sed "s#$OUT/#bench/out/#g")"
  for r in $(seq 1 "$STARTUP_RUNS"); do
    # shellcheck disable=SC2086
    measure 0 example launcher export "$r" 0 $ours export --quiet --db "$ex" - || true
    measure 0 example java-jar export "$r" 0 java -jar "$JAR" export --quiet --db "$ex" - || true
    measure 0 example sqlite3 export "$r" 0 sh -c '"$3" -batch -readonly "$1" < "$2"' _ "$ex" "$HERE/sqlite/export.sql" "$SQLITE3" || true
    measure 0 example floor-jvm export "$r" 0 "${floor[@]}" StartupFloor || true
    measure 0 example floor-driver export "$r" 0 "${floor[@]}" StartupFloor "$ex" || true
  done
}

run_fixture() {  # backup-junit's @RestoreBackup: FixtureBench processes, each a test run (see bench/java/FixtureBench.java)
  local r load line op ms lo hi
  log "fixture: $FIXTURE_RUNS process(es) of FixtureBench, $FIXTURE_ROUNDS per-test copies each, alternating with a plain copy"
  mkdir -p "$OUT/classes"
  javac -nowarn -d "$OUT/classes" -cp "$JAR" "$HERE/java/FixtureBench.java" || die "cannot compile bench/java/FixtureBench.java"
  note_command "fixture" "java -cp bench/out/django-user-backup.jar:bench/out/classes FixtureBench 100 $FIXTURE_ROUNDS"
  for r in $(seq 1 "$FIXTURE_RUNS"); do
    load="$(cut -d' ' -f1 /proc/loadavg)"
    local -a pre=()
    if [ -n "$NICE" ]; then pre=(nice -n "$NICE"); fi
    if ! "${pre[@]}" java -cp "$JAR:$OUT/classes" FixtureBench 100 "$FIXTURE_ROUNDS" >"$OUT/last.stdout" 2>"$OUT/last.stderr"; then
      log "fixture run $r: failed; stderr tail:"; tail -5 "$OUT/last.stderr" >&2
      printf '100\tfixture/ours\tper-test\t%s\tfailed\t%s\n' "$r" "$(tail -1 "$OUT/last.stderr" | cut -c1-300)" >> "$OUT/failures.txt"
      printf '100\tfixture\tours\tper-test\t%s\tNA\tNA\tfailed\t100\t%s\n' "$r" "$load" >> "$RESULTS"
      continue
    fi
    # One results.tsv line per figure and process; the per-test figures are the process's median round.
    while IFS=$'\t' read -r op ms lo hi; do
      case "$op" in
        first-restore|warm-restore) line="ours	$op" ;;
        per-test) line="ours	per-test" ;;
        plain-copy) line="plain-copy	per-test" ;;
        *) continue ;;
      esac
      printf '100\tfixture\t%s\t%s\t%s\tNA\tok\t100\t%s\n' "$line" "$r" "$(awk -v ms="$ms" 'BEGIN{printf "%.6f", ms/1000}')" "$load" >> "$RESULTS"
      if [ -n "$lo" ]; then
        printf '%s\t%s\t%s\t%s\t%s\n' "$r" "$op" "$ms" "$lo" "$hi" >> "$OUT/fixture-rounds.tsv"
      fi
    done < "$OUT/last.stdout"
    grep '^# per-test phases' "$OUT/last.stdout" | sed "s/^# /run $r: /" >> "$OUT/fixture-phases.txt" || true
    log "fixture run $r: $(grep -v '^#' "$OUT/last.stdout" | tr '\t\n' ' ;') (ms, load $load)"
  done
}

run_django() {  # run_django N (at N, measured at min(N, DJANGO_MAX))
  local n="$1" m="$1" r
  if [ "$n" -gt "$DJANGO_MAX" ]; then m="$DJANGO_MAX"; fi
  if grep -q "^$m	sqlite	django	" "$RESULTS" && [ "$m" != "$n" ]; then
    log "Django at N=$n: reusing the measurement at N=$m"
    awk -F'\t' -v n="$n" -v m="$m" 'NR>1 && $1==m && $3=="django" && $9==m {OFS="\t"; $1=n; print}' "$RESULTS" > "$OUT/reuse.tsv"
    cat "$OUT/reuse.tsv" >> "$RESULTS"
    return
  fi
  ensure_db "$m"
  local db="$OUT/db-$m.sqlite3" d_out="$OUT/django-$m.json" t="$OUT/target.sqlite3"
  for r in $(seq 1 "$DJANGO_RUNS"); do
    rm -f "$d_out"
    note_command "django export" "cd interop/djangoproject && DJANGO_DB_PATH=DB /usr/bin/python3 manage.py dumpdata auth.user auth.group chat --natural-foreign -o OUT.json"
    measure "$n" sqlite django export "$r" "$m" bash -c 'django_dump "$1" "$2"' _ "$db" "$d_out" || true
    fresh_copy "$t"
    note_command "django import" "cd interop/djangoproject && DJANGO_DB_PATH=DB /usr/bin/python3 manage.py loaddata IN.json"
    if [ -f "$d_out" ]; then
      measure "$n" sqlite django import "$r" "$m" bash -c 'django_load "$1" "$2"' _ "$t" "$d_out" || true
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
        "$SQLITE3" -batch -readonly "$OUT/imported-$who-$n.sqlite3" < "$HERE/sqlite/export.sql" > "$OUT/roundtrip-$who-$n.json"
        $PY "$HERE/compare.py" "$OUT/roundtrip-$who-$n.json" "$OUT/sqlite-$n.json" || true
        rm -f "$OUT/roundtrip-$who-$n.json"
      done
    fi
  } > "$v" 2>&1 || true
  cat "$v" >&2
}

# ------------------------------------------------------------------------------------ servers
# The test servers of .ci/start-postgres and .ci/start-mariadb; a database dub_bench_N holds a copy of the SQLite
# data (generate.py --copy-to), made anew for every run. Imports replace its rows with the same rows.
PG_HOST="${DUB_PG_HOST:-localhost}" PG_PORT="${DUB_PG_PORT:-5432}" PG_USER="${DUB_PG_USER:-dub}" PG_PASSWORD="${DUB_PG_PASSWORD:-dub}"
MY_HOST="${DUB_MYSQL_HOST:-127.0.0.1}" MY_PORT="${DUB_MYSQL_PORT:-3306}" MY_USER="${DUB_MYSQL_USER:-dub}" MY_PASSWORD="${DUB_MYSQL_PASSWORD:-dub}"

run_server() {  # run_server ENGINE N RUNS: the server's own client (reference) and ours alternate within every run
  local engine="$1" n="$2" runs="$3" name="dub_bench_$2" r ours url ref ref_out o_out="$OUT/ours-$1-$2.json"
  local -a ref_export ref_import pw
  case "$engine" in
    postgresql)
      command -v psql >/dev/null || die "psql is needed for --engines postgresql"
      url="postgres://$PG_USER@$PG_HOST:$PG_PORT/$name"; ref=psql; ref_out="$OUT/psql-$n.json"
      pw=(env "PGPASSWORD=$PG_PASSWORD")
      ref_export=(psql -X -q -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d "$name" -f "$HERE/postgresql/export.sql")
      ref_import=(psql -X -q -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d "$name" -f "$HERE/postgresql/import.sql") ;;
    mariadb)
      command -v mysql >/dev/null || die "the mysql client is needed for --engines mariadb"
      url="mysql://$MY_USER@$MY_HOST:$MY_PORT/$name"; ref=mysql; ref_out="$OUT/mysql-$n.jsonl"
      pw=(env "MYSQL_PWD=$MY_PASSWORD")
      ref_export=(mysql --default-character-set=utf8mb4 --batch --raw --skip-column-names --quick -h "$MY_HOST" -P "$MY_PORT" -u "$MY_USER" "$name")
      ref_import=(mysql --default-character-set=utf8mb4 --local-infile=1 -h "$MY_HOST" -P "$MY_PORT" -u "$MY_USER" "$name" -e "SOURCE $HERE/mariadb/import.sql") ;;
  esac
  log "$engine N=$n: copying the SQLite data into $name"
  "${pw[@]}" "$PY" "$HERE/generate.py" --out "$OUT/db-$n.sqlite3" --copy-to "${url/@/:$([ "$engine" = postgresql ] && echo "$PG_PASSWORD" || echo "$MY_PASSWORD")@}" \
    || die "cannot copy the data into $engine (is it running? .ci/start-$engine)"
  ours="$(ours_cmd "")"
  local sql_export="$HERE/$engine/export.sql"
  note_command "$engine $ref export" "${pw[0]} ${pw[1]%%=*}=... ${ref_export[*]}$([ "$engine" = mariadb ] && echo " < bench/mariadb/export.sql") > OUT"
  note_command "$engine ours export" "${pw[0]} ${pw[1]%%=*}=... $ours export --url $url OUT.json"
  note_command "$engine $ref import" "${pw[0]} ${pw[1]%%=*}=... ${ref_import[*]} < IN"
  note_command "$engine ours import" "${pw[0]} ${pw[1]%%=*}=... $ours import --url $url --mode replace --yes IN.json"
  log "$engine N=$n: $runs alternating run(s) of $ref and ours"
  for r in $(seq 1 "$runs"); do
    rm -f "$ref_out" "$o_out"
    if [ "$engine" = mariadb ]; then
      measure "$n" "$engine" "$ref" export "$r" "$n" sh -c '"$@" < "$0"' "$sql_export" "${pw[@]}" "${ref_export[@]}" || true
      cp "$OUT/last.stdout" "$ref_out"
    else
      measure "$n" "$engine" "$ref" export "$r" "$n" "${pw[@]}" "${ref_export[@]}" || true
      cp "$OUT/last.stdout" "$ref_out"
    fi
    # shellcheck disable=SC2086
    measure "$n" "$engine" ours export "$r" "$n" "${pw[@]}" $ours export --url "$url" "$o_out" || true
    measure "$n" "$engine" "$ref" import "$r" "$n" sh -c '"$@" < "$0"' "$ref_out" "${pw[@]}" "${ref_import[@]}" || true
    # shellcheck disable=SC2086
    measure "$n" "$engine" ours import "$r" "$n" "${pw[@]}" $ours import --url "$url" --mode replace --yes "$o_out" || true
  done
  if [ "$VERIFY" = 1 ]; then
    # After every import, ours and the reference's, the server must still hold the SQLite source's data.
    local v="$OUT/verify-$n-$engine.txt" src="$OUT/ours-$n.json" after="$OUT/after-$engine-$n.json"
    [ -f "$src" ] || $ours export --quiet --db "$OUT/db-$n.sqlite3" "$src"
    # shellcheck disable=SC2086
    "${pw[@]}" $ours export --quiet --url "$url" "$after" 2>/dev/null || true
    {
      echo "### N=$n, $engine: after all imports, our export of the server's database vs our export of the SQLite source"
      $PY "$HERE/compare.py" "$after" "$src" || true
    } > "$v" 2>&1
    cat "$v" >&2
  fi
}

# ------------------------------------------------------------------------------------------- run
if [ "$STARTUP" = 1 ]; then run_startup; fi
if [ "$FIXTURE" = 1 ]; then run_fixture; fi
if [ "$EMPTY" = 1 ]; then SIZES="0 $SIZES"; fi
SORTED_SIZES="$(printf '%s\n' $SIZES | sort -n | uniq | tr '\n' ' ')"
for n in $SORTED_SIZES; do
  ensure_db "$n"
  runs="$RUNS"
  if [ "$n" -ge 1000000 ]; then runs="$RUNS_LARGE"; fi
  case " $ENGINES " in
    *" sqlite "*)
      log "N=$n: $runs alternating run(s) of sqlite3 and ours"
      run_tools "$n" "$runs"
      if [ "$VERIFY" = 1 ]; then verify "$n"; fi
      if [ "$DJANGO" = 1 ]; then run_django "$n"; fi ;;
  esac
  for engine in $ENGINES; do
    case "$engine" in
      sqlite) ;;
      postgresql|mariadb)
        case " $SERVER_SIZES " in
          *" $n "*) run_server "$engine" "$n" "$runs" ;;
          *) log "$engine N=$n: skipped (not in --server-sizes: $SERVER_SIZES)" ;;
        esac ;;
      *) die "unknown engine $engine (sqlite, postgresql, mariadb)" ;;
    esac
  done
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
