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

TARGET_VS_SQLITE = 1.5
TARGET_VS_DJANGO = 50.0
TOOLS = [("sqlite3", "sqlite3 CLI (reference)"), ("ours", "django-user-backup"),
         ("ours-xmx64m", "django-user-backup, -Xmx64m"), ("ours-enc-xmx64m", "django-user-backup --encrypt, -Xmx64m"),
         ("django", "Django dumpdata/loaddata")]


def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True, timeout=60).stdout.strip() \
            or subprocess.run(cmd, shell=True, capture_output=True, text=True, timeout=60).stderr.strip()
    except Exception as e:  # noqa: BLE001 - best effort description
        return "unknown (%s)" % e


def machine():
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
        ("SQLite (sqlite3 CLI)", sh("sqlite3 --version | cut -d' ' -f1-2")),
        ("SQLite (in our jar)", sh("java -cp %s/django-user-backup.jar %s/java/SqliteVersion.java 2>/dev/null"
                                   % (OUT_DIR, os.path.dirname(os.path.abspath(__file__))))),
        ("Django", sh("/usr/bin/python3 -c 'import django; print(django.get_version())'")
         + ", Python " + sh("/usr/bin/python3 -c 'import platform; print(platform.python_version())'")),
        ("File system of bench/out", sh("df -T %s | tail -1 | awk '{print $2}'" % OUT_DIR)),
    ]


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
    rows = defaultdict(list)  # (n, tool, op) -> list of (seconds, rss, status, measured_n)
    with open(path) as f:
        next(f)
        for line in f:
            n, tool, op, run, secs, rss, status, measured = line.rstrip("\n").split("\t")
            rows[(int(n), tool, op)].append((None if secs == "NA" else float(secs),
                                              None if rss == "NA" else int(rss), status, int(measured)))
    return rows


class Cell:
    """The median time of one tool and operation at one N, possibly extrapolated from a smaller N."""

    def __init__(self, n, entries):
        ok = [e for e in entries if e[2] == "ok" and e[0] is not None]
        self.runs = len(entries)
        self.ok_runs = len(ok)
        self.failed = [e[2] for e in entries if e[2] != "ok"]
        self.measured_n = entries[0][3] if entries else n
        self.n = n
        self.measured = statistics.median([e[0] for e in ok]) if ok else None
        self.rss = max((e[1] for e in ok if e[1] is not None), default=None)
        self.extrapolated = self.measured_n != n
        self.seconds = (None if self.measured is None
                        else self.measured * n / self.measured_n if self.extrapolated else self.measured)

    def time_text(self):
        if self.seconds is None:
            return "not run" if not self.runs else "**%s**" % ", ".join(sorted(set(self.failed)))
        if self.extrapolated:
            return "≈ %s *(extrapolated: %s measured at N=%s, × %g)*" % (
                fmt_s(self.seconds), fmt_s(self.measured), f"{self.measured_n:,}", self.n / self.measured_n)
        extra = "" if not self.failed else " (%d of %d runs %s)" % (len(self.failed), self.runs, "/".join(set(self.failed)))
        return fmt_s(self.seconds) + extra

    def rss_text(self):
        if self.rss is None:
            return "–"
        text = "%.0f MiB" % (self.rss / 1024)
        return text + (" *(at N=%s)*" % f"{self.measured_n:,}" if self.extrapolated else "")


def fmt_s(x):
    return "%.2f s" % x if x < 100 else "%.0f s" % x


def ratio(a, b):
    if a is None or b is None or a.seconds is None or b.seconds is None or b.seconds == 0:
        return None
    return a.seconds / b.seconds


def verdict(value, target, at_most):
    if value is None:
        return "–"
    ok = value <= target if at_most else value >= target
    return "%.2f× %s" % (value, "✅" if ok else "❌")


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
    sizes = sorted({k[0] for k in rows})
    cells = {}
    for n in sizes:
        for tool, _ in TOOLS:
            for op in ("export", "import"):
                entries = rows.get((n, tool, op))
                cells[(n, tool, op)] = Cell(n, entries) if entries else None

    md = []
    w = md.append
    w("# Benchmarks")
    w("")
    w("Generated by `bench/run.sh` (then `bench/report.py`) on %s–%s UTC. **Every number below was measured in "
      "that run on the machine described here**; Django's numbers at sizes above N=%s are linear extrapolations "
      "of a run at N=%s and are marked as such." % (meta.get("STARTED", "?"), meta.get("FINISHED", "?"),
                                                     f"{int(meta.get('DJANGO_MAX', '0')):,}",
                                                     f"{int(meta.get('DJANGO_MAX', '0')):,}"))
    w("")
    w("Re-run: `bench/run.sh` (N = 10,000 and 100,000), `bench/run.sh --with-1m` (adds 1,000,000), "
      "`bench/run.sh --help` for the options. Where our time goes: `bench/profile.sh N` (Java Flight Recorder, "
      "summarised by `bench/jfr_top.py`).")
    w("")
    w("## What is measured")
    w("")
    w("- **Data**: `bench/generate.py` (seed %s) migrates the interop Django 3.2 project "
      "(`interop/djangoproject`, `auth.User`) and bulk-inserts N users into Django's own schema: every user "
      "with the same precomputed PBKDF2 hash, unicode first/last/user names, 0–3 of 20 groups (unicode "
      "names, 1–6 permissions each), 0–2 direct permissions, 0–3 of 10 OpenAI models (`chat_openaimodel_users`)."
      % meta.get("SEED", "?"))
    w("- **Export**: the whole process, from start to the backup file written, database → JSON document.")
    w("- **Import**: the whole process, JSON document → a copy of a freshly migrated Django database "
      "(copied before each run, outside the timing); `replace` mode for ours.")
    w("- Each tool imports its own export (the documents hold the same data; see *Same data* below).")
    w("- Time: wall clock of the process (GNU time `%e`), median of the runs; peak RSS: GNU time `%M`, "
      "the largest of the runs (including child processes).")
    w("- Runs per tool and operation: %s at N < 1,000,000, %s at N ≥ 1,000,000; Django: %s run(s), only up to "
      "N=%s, killed after %s s." % (meta.get("RUNS"), meta.get("RUNS_LARGE"), meta.get("DJANGO_RUNS"),
                                     f"{int(meta.get('DJANGO_MAX', '0')):,}", meta.get("DJANGO_TIMEOUT")))
    if meta.get("OURS_MODE") == "library":
        w("- **Our tool ran through `bench/java/BenchCli.java`**, a stand-in that calls backup-core's "
          "`Exporter`/`Importer` directly with the same arguments, because the CLI in the jar could not run "
          "`export`/`import` when this was measured. It runs from the same shaded jar (same JVM start-up, "
          "same libraries); the CLI will add its own argument parsing, summary and prompt handling.")
    else:
        w("- Our tool ran as users run it: the `./django-user-backup` launcher (its JVM options, class-data-sharing "
          "archive and unpacked SQLite library; see *Exact commands*), on a copy of the jar taken at the start of the "
          "run (`DJANGO_USER_BACKUP_JAR`, sha256 %s…)." % meta.get("JAR_SHA", "?"))
    if meta.get("NICE"):
        w("- Every measured command ran under `nice -n %s` (the machine was shared with other work; the same "
          "priority for every tool)." % meta["NICE"])
    w("- Code measured: the jar (sha256 `%s…`%s) as found in `backup-cli/target/` when the run started, with "
      "the repository at commit `%s`%s." % (
          meta.get("JAR_SHA", "?"), ", built %s" % meta["JAR_BUILT"] if meta.get("JAR_BUILT") else "",
          meta.get("GIT_COMMIT", "?"),
          " and uncommitted changes in %s tracked file(s) under backup-*/ or pom.xml (the jar may include some "
          "of them)" % meta.get("GIT_DIRTY") if meta.get("GIT_DIRTY", "0") not in ("0", "") else ""))
    w("")
    w("## Machine")
    w("")
    w("| | |")
    w("|---|---|")
    for k, v in machine():
        w("| %s | %s |" % (k, v.replace("|", "\\|")))
    w("| Load average (1, 5, 15 min) | at start %s; at end %s |" % (meta.get("LOAD_START", "?"), meta.get("LOAD_END", "?")))
    w("")

    w("## Results")
    w("")
    w("| N users | tool | export (median) | import (median) | export peak RSS | import peak RSS | runs |")
    w("|---:|---|---:|---:|---:|---:|---:|")
    for n in sizes:
        for tool, label in TOOLS:
            e, i = cells[(n, tool, "export")], cells[(n, tool, "import")]
            if e is None and i is None:
                continue
            runs = max(c.runs for c in (e, i) if c)
            w("| %s | %s | %s | %s | %s | %s | %s |" % (
                f"{n:,}", label, e.time_text() if e else "not run", i.time_text() if i else "not run",
                e.rss_text() if e else "–", i.rss_text() if i else "–",
                runs if not (e and e.extrapolated) else "%s at N=%s" % (runs, f"{e.measured_n:,}")))
    w("")

    w("## Ratios and targets")
    w("")
    w("Targets (issue 5, at 100,000 users): export ≤ %.1f× the sqlite3 export, import ≤ %.1f× the sqlite3 "
      "import, both ≥ %.0f× faster than Django. Ratios are of the medians above." % (
          TARGET_VS_SQLITE, TARGET_VS_SQLITE, TARGET_VS_DJANGO))
    w("")
    w("| N users | export ours / sqlite3 | import ours / sqlite3 | dumpdata / our export | loaddata / our import "
      "| -Xmx64m export / default | -Xmx64m import / default |")
    w("|---:|---:|---:|---:|---:|---:|---:|")
    for n in sizes:
        c = lambda t, o: cells.get((n, t, o))  # noqa: E731
        dj = "" if not (c("django", "export") and c("django", "export").extrapolated) else " *(extrap.)*"
        x_e = ratio(c("ours-xmx64m", "export"), c("ours", "export"))
        x_i = ratio(c("ours-xmx64m", "import"), c("ours", "import"))
        w("| %s | %s | %s | %s | %s | %s | %s |" % (
            f"{n:,}",
            verdict(ratio(c("ours", "export"), c("sqlite3", "export")), TARGET_VS_SQLITE, True),
            verdict(ratio(c("ours", "import"), c("sqlite3", "import")), TARGET_VS_SQLITE, True),
            verdict(ratio(c("django", "export"), c("ours", "export")), TARGET_VS_DJANGO, False) + dj,
            verdict(ratio(c("django", "import"), c("ours", "import")), TARGET_VS_DJANGO, False) + dj,
            "%.2f×" % x_e if x_e else "–", "%.2f×" % x_i if x_i else "–"))
    w("")
    grow = [n for n in sizes if n > 0]
    failures_path = os.path.join(OUT_DIR, "failures.txt")
    if os.path.exists(failures_path) and os.path.getsize(failures_path):
        w("**Failed runs** (no time counted for them; the error is the last line the tool printed):")
        w("")
        with open(failures_path) as f:
            for line in f:
                n, tool, op, run, status, err = (line.rstrip("\n").split("\t") + [""] * 6)[:6]
                w("- N=%s, %s, %s, run %s: %s — `%s`" % (f"{int(n):,}", dict(TOOLS).get(tool, tool), op, run,
                                                         status, err.replace("`", "'")))
        w("")
    if 0 in sizes:
        w("N=0 is an empty (freshly migrated) database: the fixed cost of each tool (process start-up, opening "
          "the database, reading the schema, the document header).")
        w("")
    if len(grow) > 1:
        w("Growth (time at the larger N / time at the smaller N; linear would be the ratio of the Ns):")
        w("")
        w("| from → to | N × | sqlite3 export | sqlite3 import | our export | our import |")
        w("|---|---:|---:|---:|---:|---:|")
        for a, b in zip(grow, grow[1:]):
            def g(tool, op):
                r = ratio(cells.get((b, tool, op)), cells.get((a, tool, op)))
                return "%.1f×" % r if r else "–"
            w("| %s → %s | %g | %s | %s | %s | %s |" % (f"{a:,}", f"{b:,}", b / a, g("sqlite3", "export"),
                                                        g("sqlite3", "import"), g("ours", "export"), g("ours", "import")))
        w("")

    w("## Document sizes")
    w("")
    w("| N users | database | our backup | sqlite3 reference (compact) | Django dumpdata (compact) |")
    w("|---:|---:|---:|---:|---:|")
    for n in sizes:
        parts = dict(p.split(":", 1) for p in meta.get("SIZE_%d" % n, "").split() if ":" in p)

        def mb(key):
            v = parts.get(key, "").replace("KB", "")
            return "%.1f MB" % (int(v) / 1024) if v.isdigit() else "–"
        dj = mb("django") + ("" if n <= int(meta.get("DJANGO_MAX", n)) else " (at N=%s)" % f"{int(meta['DJANGO_MAX']):,}")
        w("| %s | %s | %s | %s | %s |" % (f"{n:,}", mb("db"), mb("ours"), mb("sqlite"), dj))
    w("")

    w("## Same data")
    w("")
    w("`bench/compare.py` parses two documents and compares every section element by element (ignoring "
      "`export_date`). After the timed runs, for each N: our export against the sqlite3 export, and the "
      "databases left by the first import of each tool, exported again by sqlite3, against the source.")
    w("")
    any_verify = False
    for n in sizes:
        path = os.path.join(OUT_DIR, "verify-%d.txt" % n)
        if os.path.exists(path):
            any_verify = True
            with open(path) as f:
                w("```")
                w(f.read().rstrip())
                w("```")
    if not any_verify:
        w("Not checked in this run (`--no-verify`).")
    w("")

    w("## Exact commands")
    w("")
    w("`DB` is `bench/out/db-N.sqlite3` for exports and a fresh copy of `bench/out/fresh.sqlite3` (freshly "
      "migrated) for imports; `bench/out/django-user-backup.jar` is a copy of "
      "`backup-cli/target/django-user-backup.jar` taken at the start of the run.")
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
    w("- The sqlite3 reference is a lower bound for the job, not a finished tool: it does not validate the "
      "document, does not create missing content types, prints no plan, and reads its input once; our import "
      "checks the whole document first and then writes it (two passes over the file).")
    w("- The sqlite3 export is compact JSON on one line; ours is formatted as the jar under test writes it "
      "(see *Document sizes*).")
    w("- Both sqlite3 reference scripts keep the whole document in memory (a single SQL value), so their RSS "
      "grows with N; SQLite's default limit on a value's size is 1,000,000,000 bytes.")
    w("- The reference runs Debian's sqlite3 CLI (SQLite %s); our jar bundles a newer SQLite (see *Machine*). "
      "SQLite rewrote its JSON functions in 3.45 (faster parsing, JSONB), so a newer sqlite3 CLI would likely "
      "set a lower bar still." % sh("sqlite3 --version | cut -d' ' -f1"))
    try:
        load = float(meta.get("LOAD_START", "0").split()[0])
        cpus = int(sh("nproc"))
    except ValueError:
        load, cpus = 0.0, 1
    if load > 0.5 * cpus:
        w("- **The machine was busy**: load average %.1f at the start on %d CPUs (other work was building and "
          "testing). Medians of several runs damp that, single runs (N ≥ 1,000,000, Django) do not. Under CPU "
          "contention a JVM (JIT compiler and GC threads besides the main thread) likely loses more than the "
          "single-threaded sqlite3 CLI, so the fixed cost at N=0 and our ratios at small N are probably "
          "pessimistic; re-run on a quiet machine before drawing fine conclusions." % (load, cpus))
    else:
        w("- The machine may have been running other work; medians of several runs damp that, single runs do not.")
    w("- Django was run once per operation at N=%s; larger N are extrapolated linearly (loaddata and dumpdata "
      "work object by object, but linearity was not measured here)." % f"{int(meta.get('DJANGO_MAX', '0')):,}")
    w("- Generated databases are kept in `bench/out/` and reused by later runs with the same seed; generating "
      "is not part of any timing.")
    w("")
    os.makedirs(os.path.dirname(os.path.abspath(args.report)), exist_ok=True)
    with open(args.report, "w", encoding="utf-8") as f:
        f.write("\n".join(md))
    print("report.py: wrote %s" % args.report)


OUT_DIR = "bench/out"

if __name__ == "__main__":
    main()
