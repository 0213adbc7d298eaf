#!/usr/bin/python3
"""Steps of the Django interoperability scenarios (issue 4), one per process.

Run with Debian's Django (/usr/bin/python3) and the project's environment
variables; DJANGO_DB_PATH names the database every step works on:

    DJANGO_DB_PATH=/tmp/s.sqlite3 /usr/bin/python3 interop/scenarios/scenario.py build-source \\
        --users 3000 --passwords-out /tmp/s.passwords.json
    DJANGO_DB_PATH=/tmp/s.sqlite3 /usr/bin/python3 interop/scenarios/scenario.py snapshot --out /tmp/s.snap.json

Steps:
    migrate                                   migrate a fresh database
    build-source --users N --passwords-out P [--names-distinct-ignoring-case]
                                             migrate and fill with scenario data
    build-target --source-snapshot S --passwords-out P [--clash id|username]
                                              migrate and fill a target for merge/replace
    snapshot --out FILE                       Django's view of the data (see views.py)
    check-restore --expected S [--passwords P]
                                              Django sees exactly what S saw (scenarios 1, 3, 6)
    check-merge --source S --target T --source-passwords P --target-passwords Q [--allow-pk-change]
                                              backup's users win, target's own stay (scenario 5)
    create-after-restore --expected S         new rows get fresh ids (scenario 2)
    drift                                     change data through the ORM (scenario 7)
    build-fieldtypes [--extra SET]            every field type at its extremes (issue 17, see every_field.py)
    dump-fieldtypes --out FILE                dumpdata and full-precision values of those users
    check-fieldtypes --expected FILE          Django sees the dumped values (as Django holds them there)
    dumpdata --out FILE [--natural-foreign] [--natural-primary] [--log-entry]
                                              a fixture as manage.py dumpdata writes it (issue 13, fixtures.py)
    loaddata --fixture FILE                   manage.py loaddata FILE
    natural-dump --out FILE                   users, groups and OpenAI models by natural key
    check-fixture-import --expected FILE --passwords P
                                              the target's natural-key dump equals FILE, passwords verify

Exit codes: 0 Django agrees, 1 Django disagrees (differences printed), 2 usage or setup problem.
Lines "fact key=value" on stdout are read by the Java tests.
"""
import argparse
import json
import sys

import _django
from _django import fact


def _read(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def _write(path, content):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(content, f, ensure_ascii=False)


def main(argv):
    parser = argparse.ArgumentParser(prog="scenario.py", description=__doc__.split("\n")[0])
    steps = parser.add_subparsers(dest="step", required=True)
    steps.add_parser("migrate")
    p = steps.add_parser("build-source")
    p.add_argument("--users", type=int, required=True)
    p.add_argument("--seed", type=int, default=4)
    p.add_argument("--passwords-out", required=True)
    p.add_argument("--names-distinct-ignoring-case", action="store_true",
                   help="no two group names that differ only in case (MySQL's collations hold them as one)")
    p = steps.add_parser("build-target")
    p.add_argument("--source-snapshot", required=True)
    p.add_argument("--seed", type=int, default=5)
    p.add_argument("--passwords-out", required=True)
    p.add_argument("--clash", choices=["id", "username"])
    p = steps.add_parser("snapshot")
    p.add_argument("--out", required=True)
    p = steps.add_parser("check-restore")
    p.add_argument("--expected", required=True)
    p.add_argument("--passwords")
    p = steps.add_parser("check-merge")
    p.add_argument("--source", required=True)
    p.add_argument("--target", required=True)
    p.add_argument("--source-passwords", required=True)
    p.add_argument("--target-passwords", required=True)
    p.add_argument("--allow-pk-change", action="store_true")
    p = steps.add_parser("create-after-restore")
    p.add_argument("--expected", required=True)
    p = steps.add_parser("drift")
    p.add_argument("--seed", type=int, default=7)
    p = steps.add_parser("dumpdata")
    p.add_argument("--out", required=True)
    p.add_argument("--natural-foreign", action="store_true")
    p.add_argument("--natural-primary", action="store_true")
    p.add_argument("--log-entry", action="store_true")
    p = steps.add_parser("loaddata")
    p.add_argument("--fixture", required=True)
    p = steps.add_parser("natural-dump")
    p.add_argument("--out", required=True)
    p = steps.add_parser("check-fixture-import")
    p.add_argument("--expected", required=True)
    p.add_argument("--passwords", required=True)
    p = steps.add_parser("build-fieldtypes")
    p.add_argument("--extra", choices=["infinity", "nan", "widest-decimals", "long-durations"])
    p = steps.add_parser("dump-fieldtypes")
    p.add_argument("--out", required=True)
    p = steps.add_parser("check-fieldtypes")
    p.add_argument("--expected", required=True)
    args = parser.parse_args(argv[1:])

    fact("django", ".".join(str(v) for v in _django.django.VERSION[:3]))
    if args.step == "migrate":
        from django.core.management import call_command
        call_command("migrate", verbosity=0, interactive=False)
        return 0
    if args.step == "build-source":
        import build
        _write(args.passwords_out, build.build_source(args.users, args.seed, args.names_distinct_ignoring_case))
        return 0
    if args.step == "build-target":
        import build
        _write(args.passwords_out, build.build_target(_read(args.source_snapshot), args.seed, args.clash))
        return 0
    if args.step == "snapshot":
        import views
        snap = views.snapshot()
        _write(args.out, snap)
        views.print_facts(snap)
        return 0
    if args.step == "check-restore":
        import verdicts
        passwords = _read(args.passwords) if args.passwords else None
        return verdicts.check_restore(_read(args.expected), passwords)
    if args.step == "check-merge":
        import verdicts
        return verdicts.check_merge(_read(args.source), _read(args.target), _read(args.source_passwords),
                                    _read(args.target_passwords), args.allow_pk_change)
    if args.step == "create-after-restore":
        import verdicts
        return verdicts.create_after_restore(_read(args.expected))
    if args.step == "drift":
        import build
        changed = build.drift(args.seed)
        fact("drifted_user_ids", changed["users"])
        fact("drifted_groups", json.dumps(changed["groups"], ensure_ascii=True))
        fact("drifted_model_ids", changed["models"])
        return 0
    if args.step == "dumpdata":
        import fixtures
        fixtures.dump(args.out, args.natural_foreign, args.natural_primary, args.log_entry)
        return 0
    if args.step == "loaddata":
        from django.core.management import call_command
        call_command("loaddata", args.fixture, verbosity=0)
        return 0
    if args.step == "natural-dump":
        import fixtures
        _write(args.out, fixtures.natural_dump())
        return 0
    if args.step == "check-fixture-import":
        import fixtures
        return fixtures.check_import(_read(args.expected), _read(args.passwords))
    if args.step == "build-fieldtypes":
        import every_field
        every_field.build(args.extra)
        return 0
    if args.step == "dump-fieldtypes":
        import every_field
        _write(args.out, every_field.dump())
        return 0
    if args.step == "check-fieldtypes":
        import every_field
        import verdicts
        return every_field.check(_read(args.expected), verdicts.Report())
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
