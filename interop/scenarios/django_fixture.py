#!/usr/bin/python3
"""Issue 13: Django's own loaddata and dumpdata judge `export --format django`.

Run with Debian's Django and the project's variables (interop/README.md):

    DJANGO_DB_PATH=/tmp/t.sqlite3 /usr/bin/python3 interop/scenarios/django_fixture.py loaddata FIXTURE
    DJANGO_DB_PATH=/tmp/t.sqlite3 /usr/bin/python3 interop/scenarios/django_fixture.py dump --fixture FIXTURE --out FILE
    DJANGO_DB_PATH=/tmp/t.sqlite3 /usr/bin/python3 interop/scenarios/django_fixture.py passwords --password PW

Steps:
    loaddata FIXTURE          manage.py loaddata of the fixture (into a migrated database)
    dump --fixture F --out O  dumpdata --natural-foreign --natural-primary of every model the fixture holds
                              (content types and permissions aside), sorted, written to O: Django's view of
                              the data, by natural keys wherever Django has them
    passwords --password PW   every user's password is PW, as check_password says

Exit codes: 0 Django agrees, 1 it does not (differences printed), 2 usage or setup problem.
"""
import argparse
import io
import json
import sys

import _django
from _django import fact, User

from django.core.management import call_command

NOT_COMPARED = {"contenttypes.contenttype", "auth.permission"}


def loaddata(fixture):
    out = io.StringIO()
    call_command("loaddata", fixture, verbosity=1, stdout=out)
    print(out.getvalue().strip())


def dump(fixture, out_file):
    with open(fixture, encoding="utf-8") as f:
        models = sorted({o["model"] for o in json.load(f)} - NOT_COMPARED)
    out = io.StringIO()
    call_command("dumpdata", *models, natural_foreign=True, natural_primary=True, stdout=out)
    objects = json.loads(out.getvalue())
    for o in objects:
        for name, value in o["fields"].items():
            if isinstance(value, list):
                o["fields"][name] = sorted(value, key=json.dumps)
    objects.sort(key=lambda o: json.dumps(o, sort_keys=True))
    fact("objects", len(objects))
    fact("models", ",".join(models))
    with open(out_file, "w", encoding="utf-8") as f:
        json.dump(objects, f, indent=1, sort_keys=True, ensure_ascii=False)
    return 0


def passwords(password):
    wrong = [u.username for u in User.objects.order_by("id") if not u.check_password(password)]
    fact("checked_passwords", User.objects.count())
    for username in wrong:
        print("the password of %s does not verify" % username)
    return 1 if wrong else 0


def main(argv):
    parser = argparse.ArgumentParser(prog="django_fixture.py")
    steps = parser.add_subparsers(dest="step", required=True)
    p = steps.add_parser("loaddata")
    p.add_argument("fixture")
    p = steps.add_parser("dump")
    p.add_argument("--fixture", required=True)
    p.add_argument("--out", required=True)
    p = steps.add_parser("passwords")
    p.add_argument("--password", required=True)
    args = parser.parse_args(argv[1:])
    if args.step == "loaddata":
        loaddata(args.fixture)
        return 0
    if args.step == "dump":
        return dump(args.fixture, args.out)
    return passwords(args.password)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
