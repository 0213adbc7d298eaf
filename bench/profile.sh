#!/usr/bin/env bash
# Profile our export and import at N users with Java Flight Recorder and print where the time goes.
#
#   bench/profile.sh [N]          # default N=100000; needs bench/out/db-N.sqlite3 (bench/run.sh or generate.py)
#
# Writes bench/out/profile-{export,import}-N.jfr and .txt (summaries by bench/jfr_top.py: self time by
# method, time under each of our methods, inclusive). Extra JVM options: JAVA_OPTS="-Xmx64m" bench/profile.sh
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
OUT="$HERE/out"
N="${1:-100000}"
DB="$OUT/db-$N.sqlite3"
JAR="$OUT/profile.jar"
[ -f "$DB" ] || /usr/bin/python3 "$HERE/generate.py" --users "$N" --out "$DB"
[ -f "$OUT/fresh.sqlite3" ] || /usr/bin/python3 "$HERE/generate.py" --migrated-only --out "$OUT/fresh.sqlite3"
[ -f "$REPO/backup-cli/target/django-user-backup.jar" ] || (cd "$REPO" && mvn -q -B -DskipTests package)
cp "$REPO/backup-cli/target/django-user-backup.jar" "$JAR"
# shellcheck disable=SC2206
JOPTS=(${JAVA_OPTS:-})
rec() { echo "-XX:StartFlightRecording=settings=profile,filename=$1"; }

rm -f "$OUT/profile-$N.json" "$OUT/profile-export-$N.jfr" "$OUT/profile-import-$N.jfr"
/usr/bin/time -f 'export: %e s, peak RSS %M KB' java "${JOPTS[@]}" "$(rec "$OUT/profile-export-$N.jfr")" -Xlog:jfr=off \
  -jar "$JAR" export --db "$DB" "$OUT/profile-$N.json"
rm -f "$OUT/profile-target.sqlite3"; cp "$OUT/fresh.sqlite3" "$OUT/profile-target.sqlite3"
/usr/bin/time -f 'import: %e s, peak RSS %M KB' java "${JOPTS[@]}" "$(rec "$OUT/profile-import-$N.jfr")" -Xlog:jfr=off \
  -jar "$JAR" import --db "$OUT/profile-target.sqlite3" --mode replace --yes "$OUT/profile-$N.json"
for op in export import; do
  {
    /usr/bin/python3 "$HERE/jfr_top.py" "$OUT/profile-$op-$N.jfr" --top 30
    echo
    /usr/bin/python3 "$HERE/jfr_top.py" "$OUT/profile-$op-$N.jfr" --top 15 --native
    echo; echo "== GC =="
    jfr summary "$OUT/profile-$op-$N.jfr" | grep -E 'jdk.GarbageCollection |jdk.ExecutionSample |jdk.NativeMethodSample ' || true
  } > "$OUT/profile-$op-$N.txt"
  echo "---- $op: bench/out/profile-$op-$N.txt"
  head -45 "$OUT/profile-$op-$N.txt"
done
