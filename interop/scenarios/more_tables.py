#!/usr/bin/python3
"""Issue 11's scenario: tables of real third-party apps tied to users, judged by the apps' own code.

Run with Debian's Django and apps (python3-djangorestframework, python3-django-allauth, python3-django-otp,
python3-django-guardian) and DJANGO_MORE_APPS=1, plus the project's other variables (interop/README.md):

    DJANGO_MORE_APPS=1 DJANGO_DB_PATH=/tmp/s.sqlite3 /usr/bin/python3 interop/scenarios/more_tables.py build --out /tmp/s.json
    DJANGO_MORE_APPS=1 DJANGO_DB_PATH=/tmp/t.sqlite3 /usr/bin/python3 interop/scenarios/more_tables.py migrate
    DJANGO_MORE_APPS=1 DJANGO_DB_PATH=/tmp/t.sqlite3 /usr/bin/python3 interop/scenarios/more_tables.py check --expected /tmp/s.json

Steps:
    migrate               migrate a fresh database
    build --out FILE      migrate, fill every app's tables, write Django's view of them (and the ids) to FILE
    dump --out FILE       manage.py dumpdata --natural-foreign of users, groups, permissions, content types, the
                          OpenAI models and every app's table above (a Django fixture, as people have them)
    check --expected FILE [--milliseconds]
                          the apps see exactly FILE's data: tokens authenticate as their users, TOTP codes
                          computed from the restored devices verify, guardian resolves every object
                          permission, allauth finds every primary address, profiles and projects are whole,
                          and new rows get new ids (sequences moved past the restored ones); with
                          --milliseconds, FILE's datetimes as dumpdata keeps them (Django's serializer writes
                          milliseconds only), for a restore from a dumpdata fixture

Exit codes: 0 the apps agree, 1 they disagree (differences printed), 2 usage or setup problem.
"""
import argparse
import json
import sys

import _django
from _django import fact, User

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import transaction

if not settings.MORE_APPS:
    sys.stderr.write("set DJANGO_MORE_APPS=1: this scenario needs the third-party apps installed\n")
    sys.exit(2)

from allauth.account.models import EmailAddress, EmailConfirmation  # noqa: E402
from django_otp.oath import TOTP  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402
from guardian.core import ObjectPermissionChecker  # noqa: E402
from guardian.shortcuts import assign_perm, get_perms  # noqa: E402
from rest_framework.authentication import TokenAuthentication  # noqa: E402
from rest_framework.authtoken.models import Token  # noqa: E402

from chat.models import OpenAIModel  # noqa: E402
from extras.models import Profile, Project  # noqa: E402

USERS = 30


def migrate():
    call_command("migrate", verbosity=0, interactive=False)


def build():
    migrate()
    password = make_password("more-tables-pw")
    users = User.objects.bulk_create([
        User(username="mt%02d" % i, email="mt%02d@example.com" % i, password=password, first_name="Ünïcode %d" % i)
        for i in range(USERS)
    ])
    users = list(User.objects.order_by("id"))
    editors = Group.objects.create(name="editors")
    editors.user_set.add(*users[:5])
    models = [OpenAIModel.objects.create(name="model-%d" % i, max_tokens=100 + i, temperature="0.50") for i in range(3)]
    for i, user in enumerate(users[:20]):
        Token.objects.create(user=user)
    for i, user in enumerate(users):
        EmailAddress.objects.create(user=user, email=user.email, verified=i % 2 == 0, primary=True)
        if i % 5 == 0:
            extra = EmailAddress.objects.create(user=user, email="alt%02d@example.org" % i, verified=False, primary=False)
            EmailConfirmation.objects.create(email_address=extra, key="confirm-%02d" % i)
    for user in users[:10]:
        TOTPDevice.objects.create(user=user, name="phone of %s" % user.username, confirmed=True)
    for i, user in enumerate(users[:12]):
        assign_perm("chat.change_openaimodel", user, models[i % 3])
        if i % 4 == 0:
            assign_perm("chat.delete_openaimodel", user, models[(i + 1) % 3])
    assign_perm("chat.view_openaimodel", editors, models[0])
    assign_perm("auth.change_user", editors, users[7])
    profiles = [Profile.objects.create(user=user, bio="bio of %s" % user.username,
                                       birthday="1990-01-%02d" % (i + 1) if i % 2 else None)
                for i, user in enumerate(users[:15])]
    # A mentor later in key order than the mentee, and one earlier: a self-reference either way.
    for i, profile in enumerate(profiles):
        profile.mentor = profiles[(i + 7) % len(profiles)] if i % 3 else None
        profile.save()
    for i in range(4):
        project = Project.objects.create(name="project-%d" % i, owner=users[i] if i < 3 else None)
        project.members.add(*users[i * 3:i * 3 + 6])
    # Neither is restored: django_session and django_admin_log are left out of --all-user-tables.
    from django.contrib.admin.models import LogEntry, ADDITION
    from django.contrib.sessions.backends.db import SessionStore
    LogEntry.objects.log_action(users[0].pk, ContentType.objects.get_for_model(User).pk, users[0].pk, "mt00", ADDITION)
    session = SessionStore()
    session["who"] = users[0].pk
    session.create()
    return view()


DUMP_LABELS = ["contenttypes", "auth", "chat", "authtoken", "account", "otp_totp", "guardian", "extras"]


def dump(out):
    call_command("dumpdata", *DUMP_LABELS, natural_foreign=True, format="json", output=out, verbosity=0)
    with open(out, encoding="utf-8") as f:
        models = sorted({entry["model"] for entry in json.load(f)})
    fact("models", " ".join(models))


def view():
    """Django's and the apps' view of every table the scenario fills, by natural keys (never by database ids)."""
    models = list(OpenAIModel.objects.order_by("id"))
    users = list(User.objects.order_by("id"))
    return {
        "tokens": sorted([t.key, t.user.username, t.created.isoformat()] for t in Token.objects.all()),
        "emails": sorted([e.user.username, e.email, e.verified, e.primary] for e in EmailAddress.objects.all()),
        "confirmations": sorted([c.email_address.email, c.key] for c in EmailConfirmation.objects.all()),
        "totp": sorted([d.user.username, d.name, d.confirmed, d.key, d.step, d.t0, d.digits, d.tolerance, d.drift, d.last_t]
                       for d in TOTPDevice.objects.all()),
        "user_object_permissions": sorted([u.username, m.name, sorted(get_perms(u, m))] for u in users for m in models
                                          if get_perms(u, m)),
        "group_object_permissions": sorted([g.name, o.username if isinstance(o, User) else o.name, sorted(get_perms(g, o))]
                                           for g in Group.objects.all() for o in models + users if get_perms(g, o)),
        "profiles": sorted([p.user.username, p.bio, str(p.birthday), p.mentor.user.username if p.mentor else None]
                           for p in Profile.objects.all()),
        "projects": sorted([p.name, p.owner.username if p.owner else None, sorted(u.username for u in p.members.all())]
                           for p in Project.objects.all()),
        "ids": {
            "ct.chat.openaimodel": ContentType.objects.get_by_natural_key("chat", "openaimodel").pk,
            "perm.chat.change_openaimodel": Permission.objects.get_by_natural_key("change_openaimodel", "chat", "openaimodel").pk,
        },
    }


def _milliseconds(text):
    import datetime
    moment = datetime.datetime.fromisoformat(text)
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000).isoformat()


def check(expected, milliseconds=False):
    if milliseconds:
        expected["tokens"] = [[key, username, _milliseconds(created)] for key, username, created in expected["tokens"]]
    problems = []
    actual = view()
    for key in expected:
        if key != "ids" and actual[key] != expected[key]:
            problems.append("%s differ:\n  expected %s\n  actual   %s" % (key, expected[key], actual[key]))
    # DRF: the restored token authenticates as its user.
    authentication = TokenAuthentication()
    for key, username, _created in expected["tokens"]:
        user, _token = authentication.authenticate_credentials(key)
        if user.username != username:
            problems.append("token %s... authenticates as %s, not %s" % (key[:6], user.username, username))
    fact("checked_tokens", len(expected["tokens"]))
    # django-otp: a code computed from the restored device's key verifies (in a transaction rolled back, since a
    # verification moves last_t on).
    verified = 0
    for device in TOTPDevice.objects.all():
        code = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()
        try:
            with transaction.atomic():
                if device.verify_token(code):
                    verified += 1
                else:
                    problems.append("TOTP code of %s's device does not verify" % device.user.username)
                raise _Rollback()
        except _Rollback:
            pass
    fact("checked_totp", verified)
    # guardian: every object permission resolves for its user through the checker and the backend.
    resolved = 0
    for username, model_name, perms in expected["user_object_permissions"]:
        user = User.objects.get(username=username)
        model = OpenAIModel.objects.get(name=model_name)
        checker = ObjectPermissionChecker(user)
        for perm in perms:
            if checker.has_perm(perm, model) and user.has_perm("chat." + perm, model):
                resolved += 1
            else:
                problems.append("guardian: %s lacks %s on %s" % (username, perm, model_name))
    fact("checked_object_permissions", resolved)
    # allauth: the primary address of each user.
    for username, email, _verified, primary in expected["emails"]:
        if primary:
            found = EmailAddress.objects.get_primary(User.objects.get(username=username))
            if found is None or found.email != email:
                problems.append("allauth: primary address of %s is %s, not %s" % (username, found and found.email, email))
    fact("checked_emails", len(expected["emails"]))
    # The sequences were moved past the restored ids: Django's next rows get new ids (rolled back afterwards).
    try:
        with transaction.atomic():
            owner = User.objects.order_by("id").first()
            created = [Project.objects.create(name="after-restore", owner=owner),
                       EmailAddress.objects.create(user=owner, email="after-restore@example.org"),
                       TOTPDevice.objects.create(user=owner, name="after-restore")]
            fact("created_after_restore", len(created))
            raise _Rollback()
    except _Rollback:
        pass
    fact("sessions", _count("django_session"))
    fact("admin_log_entries", _count("django_admin_log"))
    for key, value in actual["ids"].items():
        fact(key, value)
    for problem in problems:
        print(problem)
    return 1 if problems else 0


def _count(table):
    from django.db import connection
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM " + connection.ops.quote_name(table))
        return cursor.fetchone()[0]


class _Rollback(Exception):
    pass


def main(argv):
    parser = argparse.ArgumentParser(prog="more_tables.py", description=__doc__.split("\n")[0])
    steps = parser.add_subparsers(dest="step", required=True)
    steps.add_parser("migrate")
    p = steps.add_parser("build")
    p.add_argument("--out", required=True)
    p = steps.add_parser("dump")
    p.add_argument("--out", required=True)
    p = steps.add_parser("check")
    p.add_argument("--expected", required=True)
    p.add_argument("--milliseconds", action="store_true")
    args = parser.parse_args(argv[1:])
    if args.step == "migrate":
        migrate()
        return 0
    if args.step == "dump":
        dump(args.out)
        return 0
    if args.step == "build":
        data = build()
        with open(args.out, "w", encoding="utf-8") as f:
            json.dump(data, f, ensure_ascii=False)
        for key, value in data["ids"].items():
            fact(key, value)
        fact("tokens", len(data["tokens"]))
        return 0
    with open(args.expected, encoding="utf-8") as f:
        return check(json.load(f), args.milliseconds)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
