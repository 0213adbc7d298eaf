#!/usr/bin/env bash
# Builds the sqlite3 command line the benchmark's reference runs: a newer SQLite than Debian's 3.40.1, compiled
# with the compile-time options of the SQLite inside our jar (read from it with PRAGMA compile_options), so
# the reference gets the same engine settings the tool gets.
#
#   bench/build-sqlite3.sh JAR OUT_DIR      # prints the path of the sqlite3 it built (OUT_DIR/sqlite3-bin/sqlite3)
#
# The source is SQLite's autoconf tarball (sqlite3.c + shell.c) that the npm package `sqlite3` carries in
# deps/ (npm pack, the ordinary client; the only registries this machine reaches are Maven Central, Debian's
# and npm's). The jar's own SQLite (sqlite-jdbc) ships no source and exports no C symbols, so a shell of
# exactly its version cannot be built offline; the report names both versions.
# Needs gcc and npm; the result is kept and reused while the jar's options are unchanged.
set -euo pipefail
JAR="$1"; OUT="$2"
NPM_PACKAGE="${SQLITE3_NPM_PACKAGE:-sqlite3@6.0.1}"
HERE="$(cd "$(dirname "$0")" && pwd)"
dir="$OUT/sqlite3-bin"
mkdir -p "$dir"
options="$(java -cp "$JAR" "$HERE/java/SqliteVersion.java" --compile-options)"
flags=""
while IFS= read -r o; do
  case "$o" in
    # not options (COMPILER, JDBC_EXTENSIONS), set by the platform (ATOMIC_INTRINSICS, MUTEX_PTHREADS), or
    # name-only flags whose value the list does not show
    ""|COMPILER=*|JDBC_EXTENSIONS|ATOMIC_INTRINSICS=*|MUTEX_PTHREADS|DEFAULT_AUTOVACUUM|DEFAULT_RECURSIVE_TRIGGERS) ;;
    *=*) flags="$flags -DSQLITE_$o" ;;
    *) flags="$flags -DSQLITE_$o=1" ;;
  esac
done <<< "$options"
stamp="$NPM_PACKAGE $flags"
if [ -x "$dir/sqlite3" ] && [ "$(cat "$dir/stamp" 2>/dev/null)" = "$stamp" ]; then
  echo "$dir/sqlite3"; exit 0
fi
command -v gcc >/dev/null || { echo "build-sqlite3.sh: gcc is needed (apt-get install gcc)" >&2; exit 1; }
command -v npm >/dev/null || { echo "build-sqlite3.sh: npm is needed (apt-get install npm)" >&2; exit 1; }
src="$dir/src"
rm -rf "$src"; mkdir -p "$src"
(cd "$src" && npm pack --silent "$NPM_PACKAGE" >/dev/null && tar xzf ./*.tgz && tar xzf package/deps/sqlite-autoconf-*.tar.gz) >&2
auto="$(ls -d "$src"/sqlite-autoconf-*/ | head -1)"
echo "build-sqlite3.sh: compiling $(cat "$auto/VERSION" 2>/dev/null || basename "$auto") with$flags" >&2
# shellcheck disable=SC2086
gcc -O2 -DNDEBUG $flags -DHAVE_READLINE=0 -I"$auto" "$auto/shell.c" "$auto/sqlite3.c" -lpthread -ldl -lm -o "$dir/sqlite3.tmp" >&2
mv "$dir/sqlite3.tmp" "$dir/sqlite3"
echo "$stamp" > "$dir/stamp"
rm -rf "$src"
echo "$dir/sqlite3"
