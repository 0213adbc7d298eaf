#!/usr/bin/python3
"""Check that two backup documents hold the same data (so that the benchmark compares like with like).

    /usr/bin/python3 bench/compare.py OURS.json REFERENCE.json

Both are parsed; export_date is ignored (and "at_least" in django_version, which the sqlite3
reference fixes to a constant). Every section must be equal element by element, in order.
Prints the row counts and a spot check (the first, middle and last user of each), exits 1 on the
first difference found.
"""
import json
import sys

SECTIONS = ("permissions", "groups", "users", "openai_models")
# Our backups may carry metadata a reference built by sqlite3 has not: "sha256" (the digest of their own bytes),
# "engine" and "sections" (the engine and column types they were read from). They hold no rows.
METADATA = {"sha256", "engine", "sections"}


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    a, b = load(sys.argv[1]), load(sys.argv[2])
    problems = []
    notes = []
    if a.get("format_version") != b.get("format_version"):
        # Our format_version 2 adds the "engine"/"sections" metadata, which a reference built by sqlite3 does not
        # write; the data sections compared below are the same in both formats.
        if set(a) ^ set(b) <= METADATA:
            notes.append("format_version %r vs %r (metadata only: %s)" % (
                a.get("format_version"), b.get("format_version"), ", ".join(sorted(set(a) ^ set(b))) or "none"))
        else:
            problems.append("format_version: %r != %r" % (a.get("format_version"), b.get("format_version")))
    if a["django_version"]["migrations"] != b["django_version"]["migrations"]:
        problems.append("django_version.migrations differ")
    if set(a) - METADATA != set(b) - METADATA:
        problems.append("top-level keys differ: %s vs %s" % (sorted(a), sorted(b)))
    counts = []
    for section in SECTIONS:
        x, y = a.get(section, []), b.get(section, [])
        counts.append("%s=%d/%d" % (section, len(x), len(y)))
        if len(x) != len(y):
            problems.append("%s: %d rows vs %d" % (section, len(x), len(y)))
            continue
        for i, (p, q) in enumerate(zip(x, y)):
            if p != q:
                keys = sorted(k for k in set(p) | set(q) if p.get(k, "<absent>") != q.get(k, "<absent>"))
                problems.append("%s[%d] differs in %s: %r vs %r" % (
                    section, i, keys, {k: p.get(k, "<absent>") for k in keys}, {k: q.get(k, "<absent>") for k in keys}))
                break
    users = a.get("users", [])
    spot = []
    for i in sorted({0, len(users) // 2, len(users) - 1}):
        if 0 <= i < len(users):
            u = users[i]
            spot.append("#%d id=%s username=%r groups=%s perms=%d" % (
                i, u.get("id"), u.get("username"), u.get("groups"), len(u.get("user_permissions", []))))
    print("compare: %s (ours/reference)" % ", ".join(counts))
    print("compare: spot check: " + "; ".join(spot))
    for note in notes:
        print("compare: note: " + note)
    if problems:
        for p in problems:
            print("compare: DIFFERENT: " + p)
        sys.exit(1)
    print("compare: same data (every section equal element by element, export_date ignored)")


if __name__ == "__main__":
    main()
