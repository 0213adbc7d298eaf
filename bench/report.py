#!/usr/bin/python3
"""Turn the raw timings of bench/run.sh (bench/out/results.tsv) into docs/BENCHMARKS.md.

    /usr/bin/python3 bench/report.py [--out-dir bench/out] [--report docs/BENCHMARKS.md]

Nothing here is measured: it only reads what run.sh recorded (results.tsv, commands.txt, meta.env,
verify-N.txt) and describes the machine it runs on (run.sh calls it right after measuring).
"""
import argparse
import os
import platform
import statistics
import subprocess
from collections import defaultdict

# Issue 15's targets: ours / the sqlite3 reference at N >= 100,000; the launcher's fixed cost; plain java -jar
# relative to the launcher. Issue 5's: ours against Django.
TARGETS = {"export": 1.3, "import": 1.2, "verify": 1.5}
TARGET_LAUNCHER = 0.2
TARGET_PLAIN = 2.0
TARGET_VS_DJANGO = 50.0
# "A 100-user fixture into SQLite in a few milliseconds after the first": read as at most 5 ms per later test.
TARGET_FIXTURE_MS = 5.0
MIN_RUNS = 5


def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True, timeout=60).stdout.strip() \
            or subprocess.run(cmd, shell=True, capture_output=True, text=True, timeout=60).stderr.strip()
    except Exception as e:  # noqa: BLE001 - best effort description
        return "unknown (%s)" % e


def machine(meta, engines):
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem = "unknown"
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemTotal"):
                    mem = "%.1f GiB" % (int(line.split()[1]) / 1024 / 1024)
    except OSError:
        pass
    return [
        ("CPU", "%s, %s logical CPUs (nproc)" % (cpu, sh("nproc"))),
        ("Memory", mem),
        ("OS", "%s, kernel %s" % (sh(". /etc/os-release && echo $PRETTY_NAME"), platform.release())),
        ("Java", sh("java -version 2>&1 | head -2 | tr '\\n' ' '")),
        ("SQLite (reference sqlite3)", "%s (`%s`)" % (meta.get("SQLITE3_VERSION", "?"), meta.get("SQLITE3_BINARY", "?"))),
        ("SQLite (in our jar)", sh("java -cp %s/django-user-backup.jar %s/java/SqliteVersion.java 2>/dev/null"
                                   % (OUT_DIR, os.path.dirname(os.path.abspath(__file__))))),
        ("Django", sh("/usr/bin/python3 -c 'import django; print(django.get_version())'")
         + ", Python " + sh("/usr/bin/python3 -c 'import platform; print(platform.python_version())'")),
        ("File system of bench/out", sh("df -T %s | tail -1 | awk '{print $2}'" % OUT_DIR)),
    ] + ([("PostgreSQL", sh("psql --version") + "; server " + sh(
        "PGPASSWORD=${DUB_PG_PASSWORD:-dub} psql -X -At -h ${DUB_PG_HOST:-localhost} -U ${DUB_PG_USER:-dub} -d postgres -c 'SHOW server_version'"))]
         if "postgresql" in engines else []) + ([("MariaDB", sh("mysql --version") + "; server " + sh(
        "MYSQL_PWD=${DUB_MYSQL_PASSWORD:-dub} mysql -N -h ${DUB_MYSQL_HOST:-127.0.0.1} -u ${DUB_MYSQL_USER:-dub} -e 'SELECT version()'"))]
         if "mariadb" in engines else [])


def read_meta(path):
    meta = {}
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                if "=" in line:
                    k, v = line.rstrip("\n").split("=", 1)
                    meta[k] = v
    return meta


def read_results(path):
    """(n, engine, tool, op) -> list of Run, in run order."""
    rows = defaultdict(list)
    with open(path) as f:
        next(f)
        for line in f:
            n, engine, tool, op, run, secs, rss, status, measured, load = line.rstrip("\n").split("\t")
            rows[(int(n), engine, tool, op)].append(Run(int(run), None if secs == "NA" else float(secs),
                                                        None if rss == "NA" else int(rss), status, int(measured),
                                                        None if load in ("", "NA") else float(load)))
    return rows


class Run:
    def __init__(self, run, seconds, rss, status, measured_n, load):
        self.run, self.seconds, self.rss, self.status, self.measured_n, self.load = run, seconds, rss, status, measured_n, load

    @property
    def ok(self):
        return self.status == "ok" and self.seconds is not None


class Cell:
    """The runs of one tool and operation at one N: min / median / max, possibly extrapolated from a smaller N."""

    def __init__(self, n, runs):
        ok = [r for r in runs if r.ok]
        self.all = runs
        self.runs = len(runs)
        self.ok_runs = len(ok)
        self.failed = [r.status for r in runs if not r.ok]
        self.measured_n = runs[0].measured_n if runs else n
        self.n = n
        self.extrapolated = self.measured_n != n
        factor = n / self.measured_n if self.extrapolated else 1
        times = sorted(r.seconds * factor for r in ok)
        self.times = times
        self.min = times[0] if times else None
        self.max = times[-1] if times else None
        self.seconds = statistics.median(times) if times else None
        self.rss = max((r.rss for r in ok if r.rss is not None), default=None)
        loads = [r.load for r in runs if r.load is not None]
        self.load = (min(loads), max(loads)) if loads else None

    def time_text(self):
        if self.seconds is None:
            return "not run" if not self.runs else "**%s**" % ", ".join(sorted(set(self.failed)))
        if self.extrapolated:
            return "≈ %s *(extrapolated from N=%s, × %g)*" % (fmt_s(self.seconds), f"{self.measured_n:,}",
                                                            self.n / self.measured_n)
        text = fmt_s(self.seconds) if self.ok_runs < 3 else "%s / **%s** / %s" % (
            fmt_s(self.min), fmt_s(self.seconds), fmt_s(self.max))
        if self.failed:
            text += " (%d of %d runs %s)" % (len(self.failed), self.runs, "/".join(sorted(set(self.failed))))
        return text

    def load_text(self):
        if not self.load:
            return "–"
        return "%.1f" % self.load[0] if self.load[0] == self.load[1] else "%.1f–%.1f" % self.load

    def rss_text(self):
        if self.rss is None:
            return "–"
        return "%.0f MiB" % (self.rss / 1024) + (" *(at N=%s)*" % f"{self.measured_n:,}" if self.extrapolated else "")


def fmt_s(x):
    return "%.2f s" % x if x < 100 else "%.0f s" % x


def fmt_ms(x):
    return "%.1f ms" % (x * 1000)


def paired(ours, ref):
    """Ratios ours/ref of the runs made side by side (run r of each): (median ratio of medians, min, max)."""
    if not ours or not ref or ours.seconds is None or ref.seconds is None or ref.seconds == 0:
        return None
    by_run = {r.run: r for r in ref.all if r.ok and r.seconds}
    pairs = sorted(o.seconds / by_run[o.run].seconds for o in ours.all if o.ok and o.run in by_run)
    if not pairs:
        return None
    return ours.seconds / ref.seconds, pairs[0], pairs[-1], len(pairs)


def verdict(value, lo, hi, target, runs):
    """met only when every paired ratio is within the target (and there were at least 5), missed when none is."""
    if hi <= target and runs >= MIN_RUNS:
        return "met"
    if lo > target:
        return "**not met**"
    if hi <= target:
        return "within target, but only %d run(s)" % runs
    return "within noise (runs %.2f×–%.2f×)" % (lo, hi)


def absolute_target(label, cell, target, fmt):
    """A target row for a time (not a ratio): median (min–max) and the verdict over the cell's runs."""
    return "| %s | %s (%s–%s) | %s |" % (label, fmt(cell.seconds), fmt(cell.min), fmt(cell.max),
                                        verdict(cell.seconds, cell.min, cell.max, target, cell.ok_runs))


def ratio_text(p):
    if not p:
        return "–"
    value, lo, hi, runs = p
    return "%.2f× (%.2f–%.2f)" % (value, lo, hi) if runs > 1 else "%.2f×" % value


def main():
    global OUT_DIR
    parser = argparse.ArgumentParser()
    here = os.path.dirname(os.path.abspath(__file__))
    parser.add_argument("--out-dir", default=os.path.join(here, "out"))
    parser.add_argument("--report", default=os.path.join(os.path.dirname(here), "docs", "BENCHMARKS.md"))
    args = parser.parse_args()
    OUT_DIR = args.out_dir

    meta = read_meta(os.path.join(OUT_DIR, "meta.env"))
    rows = read_results(os.path.join(OUT_DIR, "results.tsv"))
    cells = {k: Cell(k[0], v) for k, v in rows.items()}
    c = cells.get
    engines = [e for e in ("sqlite", "postgresql", "mariadb") if any(k[1] == e for k in cells)]
    dirty = meta.get("GIT_DIRTY", "0") not in ("0", "")

    md = []
    w = md.append
    w("# Benchmarks")
    w("")
    if dirty:
        w("> **Not a measurement of any commit**: the run was started with `--allow-dirty` and %s uncommitted "
          "change(s) in what is measured (the launcher, bench/, the modules). Re-run on a clean checkout." %
          meta.get("GIT_DIRTY"))
        w("")
    django_ran = any(k[2] == "django" for k in cells)
    w("Generated by `%s` (then `bench/report.py`) from %s to %s UTC, at commit `%s`%s. **Every number below was "
      "measured in that run on the machine described here**%s. The section *Ideas tried* at the end is the "
      "exception: it is copied from `bench/IDEAS.md` and says when and how its numbers were measured." % (
          meta.get("COMMAND", "bench/run.sh").strip(), meta.get("STARTED", "?"), meta.get("FINISHED", "?"),
          meta.get("GIT_COMMIT", "?"), " plus uncommitted changes" if dirty else "",
          "; Django's numbers above N=%s are linear extrapolations and are marked as such"
          % f"{int(meta.get('DJANGO_MAX', '0')):,}" if django_ran else ""))
    w("")
    w("## What is measured")
    w("")
    w("- **Data**: `bench/generate.py` (seed %s) migrates the interop Django 3.2 project (`interop/djangoproject`, "
      "`auth.User`) and bulk-inserts N users into Django's own schema: every user with the same precomputed "
      "PBKDF2 hash, unicode names, 0–3 of 20 groups (1–6 permissions each), 0–2 direct permissions, 0–3 of 10 "
      "OpenAI models. On PostgreSQL and MariaDB the same rows are copied from the SQLite database into a freshly "
      "migrated `dub_bench_N` database (`generate.py --copy-to`; not timed)." % meta.get("SEED", "?"))
    w("- **Export**: the whole process, start to backup written. **Import**: the whole process, backup → the "
      "database (SQLite: a copy of a freshly migrated database, made outside the timing; servers: the same "
      "database, its rows replaced by the same rows); `replace` mode for ours. Each tool imports its own export. "
      "**Verify** (SQLite only): ours checks our backup file; the reference reads the same file twice, "
      "`sha256sum` and `sqlite3`'s `json_valid`.")
    w("- **Runs**: %s per figure (%s at N ≥ 1,000,000), the tool and its reference alternating (reference, ours, "
      "reference, ours, ...) so that both see the same load; start-up: %s runs. Times are wall clock (GNU time "
      "`%%e`) given as min / **median** / max; peak RSS is GNU time's `%%M`, the largest of the runs. The load "
      "column is the 1-minute load average read just before each run (lowest–highest)." % (
          meta.get("RUNS"), meta.get("RUNS_LARGE"), meta.get("STARTUP_RUNS")))
    w("- **Ratios** are ours / reference: the ratio of the medians, and in brackets the lowest and highest ratio of "
      "the runs made side by side (run *r* of each). A target is **met** only when every side-by-side ratio is "
      "within it and there were at least %d runs; **not met** when none is; otherwise **within noise**, which is "
      "not met." % MIN_RUNS)
    if meta.get("XMX64_RUNS_LARGE"):
        w("- At N ≥ 1,000,000 only the first %s round(s) also ran our tool under `-Xmx64m` (`--xmx64-runs-large`): "
          "those figures are for memory, not for a ratio." % meta["XMX64_RUNS_LARGE"])
    if meta.get("OURS_MODE") == "library":
        w("- **Our tool ran through `bench/java/BenchCli.java`**, a stand-in calling backup-core's "
          "`Exporter`/`Importer` directly, because the CLI in the jar could not run `export`/`import`.")
    else:
        w("- Our tool ran as users run it: the `./django-user-backup` launcher (its JVM options, class-data-sharing "
          "archive and unpacked SQLite library), on a copy of the jar taken at the start of the run (sha256 "
          "`%s…`, built %s)." % (meta.get("JAR_SHA", "?"), meta.get("JAR_BUILT", "?")))
    w("- The SQLite reference is the `sqlite3` command line of SQLite %s (`%s`, built by `bench/build-sqlite3.sh` "
      "with the compile-time options of the SQLite inside our jar), with the pragmas our tool sets on its "
      "connection (`foreign_keys = ON`, `cache_size = -65536`), the document parsed once (`jsonb()`, then "
      "`jsonb_each`)." % (meta.get("SQLITE3_VERSION", "?"), meta.get("SQLITE3_BINARY", "?")))
    server_sizes = meta.get("SERVER_SIZES", "").split()
    servers = [e for e in meta.get("ENGINES", "").split() if e != "sqlite"]
    if servers and server_sizes:
        w("- %s ran at N = %s only (`--server-sizes`); SQLite at every N below." % (
            " and ".join({"postgresql": "PostgreSQL", "mariadb": "MariaDB"}.get(e, e) for e in servers),
            ", ".join(f"{int(n):,}" for n in server_sizes)))
    if meta.get("NICE"):
        w("- Every measured command ran under `nice -n %s` (the same for every tool)." % meta["NICE"])
    w("")
    w("## Machine")
    w("")
    w("| | |")
    w("|---|---|")
    for k, v in machine(meta, engines):
        w("| %s | %s |" % (k, v.replace("|", "\\|")))
    w("| Load average (1, 5, 15 min) | at start %s; at end %s |" % (meta.get("LOAD_START", "?"), meta.get("LOAD_END", "?")))
    w("")

    # ---------------------------------------------------------------- start-up
    launcher, plain, s_ex = c((0, "example", "launcher", "export")), c((0, "example", "java-jar", "export")), \
        c((0, "example", "sqlite3", "export"))
    if launcher:
        w("## Start-up")
        w("")
        w("The fixed cost: an export of the bundled example database (`examples/example.sqlite3`, a few users) to "
          "standard output.")
        w("")
        w("| how | min / **median** / max | peak RSS | load | runs |")
        w("|---|---:|---:|---:|---:|")
        floor_jvm, floor_driver = c((0, "example", "floor-jvm", "export")), c((0, "example", "floor-driver", "export"))
        for cell, label in ((launcher, "`./django-user-backup` (the launcher)"), (plain, "`java -jar django-user-backup.jar`"),
                            (s_ex, "sqlite3 reference (for scale)"),
                            (floor_jvm, "floor: the JVM alone (empty `main`, the launcher's JVM options)"),
                            (floor_driver, "floor: the JVM + sqlite-jdbc + Jackson writing the example's users "
                                           "(`bench/java/StartupFloor.java`)")):
            if cell:
                w("| %s | %s | %s | %s | %s |" % (label, cell.time_text(), cell.rss_text(), cell.load_text(), cell.runs))
        w("")
        w("| target | measured | verdict |")
        w("|---|---:|---|")
        if launcher.seconds is not None:
            w(absolute_target("launcher ≤ %.1f s" % TARGET_LAUNCHER, launcher, TARGET_LAUNCHER, fmt_s))
        if floor_driver and floor_driver.seconds is not None:
            # What the target leaves once Java and the driver have started: below the floor it cannot be met by
            # any change to our own code.
            w("| (floor: the JVM + sqlite-jdbc + Jackson ≤ %.1f s) | %s (%s–%s) | %s |" % (
                TARGET_LAUNCHER, fmt_s(floor_driver.seconds), fmt_s(floor_driver.min), fmt_s(floor_driver.max),
                "below the target" if floor_driver.max <= TARGET_LAUNCHER else
                "above the target in every run: not reachable with this JVM and driver"
                if floor_driver.min > TARGET_LAUNCHER else "within noise of the target"))
            if launcher.seconds is not None:
                w("| (the launcher above that floor) | %s | – |" % fmt_s(launcher.seconds - floor_driver.seconds))
        p = paired(plain, launcher)
        if p:
            w("| plain `java -jar` ≤ %.0f× the launcher | %s | %s |" % (TARGET_PLAIN, ratio_text(p),
                                                                     verdict(*p[:3], TARGET_PLAIN, p[3])))
        w("")

    # ---------------------------------------------------------------- test fixtures
    per_test, plain_copy = c((100, "fixture", "ours", "per-test")), c((100, "fixture", "plain-copy", "per-test"))
    if per_test:
        first, warm = c((100, "fixture", "ours", "first-restore")), c((100, "fixture", "ours", "warm-restore"))
        w("## Test fixtures (backup-junit's `@RestoreBackup`)")
        w("")
        w("`bench/java/FixtureBench.java`, %s process(es), each one test run: a 100-user fixture (one group, one OpenAI "
          "model) is restored once into a pristine SQLite file (schema + import, JIT-cold: what the first test pays), "
          "then each of %s later tests pays a copy of that file, a connection, a query and the deletion, as "
          "`DjangoBackupExtension` does; every such round alternates with the reference, a plain copy and deletion of "
          "the same pristine file. A process's figure is its median round; below are min / **median** / max over the "
          "processes, in milliseconds, with the load read before each process." % (
              meta.get("FIXTURE_RUNS", "?"), meta.get("FIXTURE_ROUNDS", "?")))
        w("")
        w("| figure | min / **median** / max | load | runs |")
        w("|---|---:|---:|---:|")
        for cell, label in ((first, "first test: schema + restore (cold)"), (per_test, "later test: copy + connection + query + delete"),
                            (plain_copy, "reference: plain copy + delete of the same file"),
                            (warm, "schema + restore again, warm (for scale)")):
            if cell and cell.seconds is not None:
                w("| %s | %s | %s | %s |" % (label, "%s / **%s** / %s" % (fmt_ms(cell.min), fmt_ms(cell.seconds), fmt_ms(cell.max)),
                                          cell.load_text(), cell.runs))
        w("")
        rounds = os.path.join(OUT_DIR, "fixture-rounds.tsv")
        if os.path.exists(rounds):
            spread = defaultdict(list)
            with open(rounds) as f:
                for line in f:
                    _, op, _, lo, hi = line.rstrip("\n").split("\t")
                    spread[op].append((float(lo), float(hi)))
            w("Single rounds ranged %s." % "; ".join(
                "%s %.1f–%.1f ms" % ({"per-test": "per test", "plain-copy": "plain copy"}.get(op, op),
                                      min(v[0] for v in vals), max(v[1] for v in vals)) for op, vals in sorted(spread.items())))
            w("")
        phases = os.path.join(OUT_DIR, "fixture-phases.txt")
        if os.path.exists(phases):
            w("Where a later test's time goes (each process's median of each phase):")
            w("")
            with open(phases) as f:
                for line in f:
                    w("- " + line.strip())
            w("")
        w("| target | measured | verdict |")
        w("|---|---:|---|")
        if per_test.seconds is not None:
            w(absolute_target("later test ≤ %.0f ms (issue 15: \"a few milliseconds after the first\")" % TARGET_FIXTURE_MS,
                              per_test, TARGET_FIXTURE_MS / 1000, fmt_ms))
        w("")

    # ---------------------------------------------------------------- results per engine
    labels = {"sqlite3": "sqlite3 CLI (reference)", "psql": "psql (reference)", "mysql": "mysql (reference)",
              "ours": "django-user-backup", "ours-xmx64m": "django-user-backup, -Xmx64m",
              "ours-enc-xmx64m": "django-user-backup --encrypt, -Xmx64m", "django": "Django dumpdata/loaddata"}
    refs = {"sqlite": "sqlite3", "postgresql": "psql", "mariadb": "mysql"}
    for engine in engines:
        sizes = sorted({k[0] for k in cells if k[1] == engine})
        w("## %s" % {"sqlite": "SQLite", "postgresql": "PostgreSQL", "mariadb": "MariaDB"}[engine])
        w("")
        w("| N users | tool | operation | min / **median** / max | peak RSS | load | runs |")
        w("|---:|---|---|---:|---:|---:|---:|")
        for n in sizes:
            for tool in labels:
                for op in ("export", "import", "verify"):
                    cell = c((n, engine, tool, op))
                    if cell:
                        w("| %s | %s | %s | %s | %s | %s | %s |" % (f"{n:,}", labels[tool], op, cell.time_text(),
                                                                  cell.rss_text(), cell.load_text(), cell.runs))
        w("")
        ref = refs[engine]
        w("Ours / %s%s:" % (ref, " (targets from issue 15 at N ≥ 100,000: export ≤ %.1f×, import ≤ %.1f×, verify "
                              "≤ %.1f×)" % (TARGETS["export"], TARGETS["import"], TARGETS["verify"])
                              if engine == "sqlite" else " (no target: the ratio is reported)"))
        w("")
        w("| N users | operation | ours / reference | verdict |")
        w("|---:|---|---:|---|")
        for n in sizes:
            for op in ("export", "import", "verify"):
                p = paired(c((n, engine, "ours", op)), c((n, engine, ref, op)))
                if not p:
                    continue
                v = verdict(*p[:3], TARGETS[op], p[3]) if engine == "sqlite" and n >= 100000 else "–"
                w("| %s | %s | %s | %s |" % (f"{n:,}", op, ratio_text(p), v))
        w("")
        if engine == "sqlite" and any(k[2] == "django" for k in cells):
            w("Django (issue 5's target: ours ≥ %.0f× faster at 100,000 users):" % TARGET_VS_DJANGO)
            w("")
            w("| N users | dumpdata / our export | loaddata / our import |")
            w("|---:|---:|---:|")
            for n in sizes:
                de, di = c((n, engine, "django", "export")), c((n, engine, "django", "import"))
                oe, oi = c((n, engine, "ours", "export")), c((n, engine, "ours", "import"))
                if not de or not oe:
                    continue
                fx = lambda a, b: "%.0f×" % (a.seconds / b.seconds) if a and b and a.seconds and b.seconds else "–"  # noqa: E731
                w("| %s | %s | %s |%s" % (f"{n:,}", fx(de, oe), fx(di, oi), " *(Django extrapolated)*" if de.extrapolated else ""))
            w("")
        if engine == "sqlite" and any(k[2] == "ours-xmx64m" for k in cells):
            w("Under `-Xmx64m` (median, relative to the default heap): " + "; ".join(
                "N=%s export %s, import %s" % (f"{n:,}", ratio_text(paired(c((n, engine, "ours-xmx64m", "export")), c((n, engine, "ours", "export")))),
                                              ratio_text(paired(c((n, engine, "ours-xmx64m", "import")), c((n, engine, "ours", "import")))))
                for n in sizes if c((n, engine, "ours-xmx64m", "export"))) + ".")
            w("")

    failures_path = os.path.join(OUT_DIR, "failures.txt")
    if os.path.exists(failures_path) and os.path.getsize(failures_path):
        w("**Failed runs** (no time counted for them; the error is the last line the tool printed):")
        w("")
        with open(failures_path) as f:
            for line in f:
                n, tool, op, run, status, err = (line.rstrip("\n").split("\t") + [""] * 6)[:6]
                w("- N=%s, %s, %s, run %s: %s — `%s`" % (f"{int(n):,}", tool, op, run, status, err.replace("`", "'")))
        w("")

    w("## Document sizes")
    w("")
    w("| N users | database | our backup | sqlite3 reference (compact) | Django dumpdata (compact) |")
    w("|---:|---:|---:|---:|---:|")
    for n in sorted({k[0] for k in cells if k[1] == "sqlite"}):
        parts = dict(p.split(":", 1) for p in meta.get("SIZE_%d" % n, "").split() if ":" in p)

        def mb(key):
            v = parts.get(key, "").replace("KB", "")
            return "%.1f MB" % (int(v) / 1024) if v.isdigit() else "–"
        w("| %s | %s | %s | %s | %s |" % (f"{n:,}", mb("db"), mb("ours"), mb("sqlite"), mb("django")))
    w("")

    w("## Same data")
    w("")
    w("`bench/compare.py` parses two documents and compares every section element by element (ignoring "
      "`export_date`). SQLite: our export against the sqlite3 export, and the databases left by the first import "
      "of each tool, exported again by sqlite3, against the source. Servers: after all imports (theirs and ours), "
      "our export of the server's database against our export of the SQLite source.")
    w("")
    verify_files = sorted(f for f in os.listdir(OUT_DIR) if f.startswith("verify-") and f.endswith(".txt"))
    for name in verify_files:
        with open(os.path.join(OUT_DIR, name)) as f:
            w("```")
            w(f.read().rstrip())
            w("```")
    if not verify_files:
        w("Not checked in this run (`--no-verify`).")
    w("")

    w("## Exact commands")
    w("")
    w("`DB` is `bench/out/db-N.sqlite3` for exports and a fresh copy of `bench/out/fresh.sqlite3` for SQLite "
      "imports; `bench/out/django-user-backup.jar` is a copy of `backup-cli/target/django-user-backup.jar` taken at "
      "the start of the run; `sqlite3` is `%s`." % meta.get("SQLITE3_BINARY", "sqlite3"))
    w("")
    w("```")
    w("/usr/bin/python3 bench/generate.py --users N --seed %s --out bench/out/db-N.sqlite3" % meta.get("SEED", "42"))
    cmd_path = os.path.join(OUT_DIR, "commands.txt")
    if os.path.exists(cmd_path):
        with open(cmd_path) as f:
            for line in f:
                key, cmd = line.rstrip("\n").split("\t", 1)
                w("# %s\n%s" % (key, cmd))
    w("```")
    w("")
    w("Each is run as `/usr/bin/time -f '%e %M' COMMAND` (Django's also under `timeout`).")
    w("")

    w("## Caveats")
    w("")
    w("- The references are lower bounds for the job, not finished tools: they do not validate the document, "
      "create no missing content types, print no plan, and read their input once; our import checks the whole "
      "document first and then writes it (two passes over the file).")
    w("- The references' documents are compact JSON (MariaDB's: one JSON object a line, since the server returns "
      "at most `max_allowed_packet` bytes in one value, and with 0/1-free booleans but MariaDB's datetime text); "
      "ours is the format the jar under test writes (see *Document sizes*).")
    w("- The SQLite reference keeps the whole document in memory (one SQL value), so its RSS grows with N.")
    try:
        loads = [float(meta.get(k, "0").split()[0]) for k in ("LOAD_START", "LOAD_END")]
        cpus = int(sh("nproc"))
    except ValueError:
        loads, cpus = [0.0], 1
    if max(loads) > 0.5 * cpus:
        w("- **The machine was busy**: load average up to %.1f on %d CPUs (see the load column). Alternating runs "
          "share the load fairly between the tool and its reference, but a JVM (JIT compiler and GC threads besides "
          "the main thread) likely loses more under contention than a single-threaded client, and the spread is "
          "wide: re-run on a quiet machine before drawing fine conclusions." % (max(loads), cpus))
    if django_ran:
        w("- Django ran %s time(s) per operation up to N=%s; larger N are extrapolated linearly." % (
            meta.get("DJANGO_RUNS"), f"{int(meta.get('DJANGO_MAX', '0')):,}"))
    w("")

    ideas = os.path.join(os.path.dirname(os.path.abspath(__file__)), "IDEAS.md")
    if os.path.exists(ideas):
        with open(ideas, encoding="utf-8") as f:
            w(f.read().rstrip())
        w("")

    w("## Every run")
    w("")
    w("<details><summary>%d runs, in the order they ran within each figure</summary>" % sum(len(v) for v in rows.values()))
    w("")
    w("| N | engine | tool | operation | run | seconds | peak RSS KiB | load | status |")
    w("|---:|---|---|---|---:|---:|---:|---:|---|")
    for (n, engine, tool, op), runs in rows.items():
        for r in runs:
            w("| %s | %s | %s | %s | %d | %s | %s | %s | %s |" % (f"{n:,}", engine, tool, op, r.run,
                                                                "–" if r.seconds is None else "%.2f" % r.seconds,
                                                                r.rss or "–", "–" if r.load is None else "%.2f" % r.load, r.status))
    w("")
    w("</details>")
    w("")
    os.makedirs(os.path.dirname(os.path.abspath(args.report)), exist_ok=True)
    with open(args.report, "w", encoding="utf-8") as f:
        f.write("\n".join(md))
    print("report.py: wrote %s" % args.report)


OUT_DIR = "bench/out"

if __name__ == "__main__":
    main()
