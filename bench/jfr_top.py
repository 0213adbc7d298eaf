#!/usr/bin/python3
"""Summarise the CPU samples of a JFR recording (jdk.ExecutionSample), for bench/profile.sh.

    /usr/bin/python3 bench/jfr_top.py RECORDING.jfr [--top 25]

With --native, the same for jdk.NativeMethodSample (time spent inside native code: SQLite, file I/O).

Prints, over the samples of all threads:
  - self:   the top frame of each sample (where the CPU was), by method;
  - ours:   the innermost io.djangouserbackup frame of each sample (which of our methods the time is
            spent under, including the library code it calls);
  - total:  inclusive counts by method (a method counted once per sample it appears in), top entries.
"""
import argparse
import collections
import re
import subprocess

FRAME = re.compile(r"^\s+(\S.*?)(?: line: \d+)?(?: bci: \d+)?\s*$")


def method(frame):
    # "a.b.C.m(Args) line: 12" -> "a.b.C.m"
    return frame.split("(", 1)[0].strip()


def samples(path, event):
    text = subprocess.run(["jfr", "print", "--events", event, "--stack-depth", "96", path],
                          capture_output=True, text=True, check=True).stdout
    stack, inside = [], False
    for line in text.splitlines():
        if line.strip() == "stackTrace = [":
            stack, inside = [], True
        elif inside and line.strip() == "]":
            inside = False
            yield stack
        elif inside:
            m = FRAME.match(line)
            if m and not m.group(1).startswith("..."):
                stack.append(method(m.group(1)))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("recording")
    p.add_argument("--top", type=int, default=25)
    p.add_argument("--native", action="store_true",
                   help="summarise jdk.NativeMethodSample (threads inside native code, e.g. SQLite) instead")
    a = p.parse_args()
    self_, ours, total = collections.Counter(), collections.Counter(), collections.Counter()
    n = 0
    event = "jdk.NativeMethodSample" if a.native else "jdk.ExecutionSample"
    for stack in samples(a.recording, event):
        if not stack:
            continue
        n += 1
        self_[stack[0]] += 1
        mine = next((f for f in stack if f.startswith("io.djangouserbackup.")), "(not under our code)")
        ours[mine] += 1
        for f in set(stack):
            total[f] += 1
    print("%d %s samples in %s" % (n, event, a.recording))
    for title, counter in (("self (top frame)", self_), ("innermost io.djangouserbackup frame", ours),
                           ("inclusive", total)):
        print("\n== %s ==" % title)
        for name, count in counter.most_common(a.top):
            print("%6d %5.1f%%  %s" % (count, 100.0 * count / max(n, 1), name))


if __name__ == "__main__":
    main()
