#!/usr/bin/python3
"""Create the example database through Django's ORM.

Usage (normally called by interop/regenerate-resources.sh):

    DJANGO_DB_PATH=/path/to/new.sqlite3 /usr/bin/python3 interop/make_example.py

The target file must not exist yet; it is migrated and then filled.
Run with Debian's Django 3.2 (/usr/bin/python3). With DJANGO_USER_VARIANT=custom
the extra accounts.User columns are filled as well (the committed example
database uses the default variant, auth.User).

Contents (see also examples/README.md). Passwords are real PBKDF2 hashes of:

    username   password              notes
    alice      alice-password        superuser + staff, group "admins"
    bob        bob-password          staff, group "editors", direct perm chat.add_openaimodel
    carol      carol-password        groups "support" + "editors", direct perm auth.change_user
    dave       dave-password         INACTIVE (is_active=False), direct perm chat.view_openaimodel
    eve        (none)                unusable password (set_unusable_password(), hash starts with "!")
    zoë.李     zoë-pässwörd-🔑       unicode names (emoji, CJK, quotes), group "editors"

Groups:
    editors  chat.change_openaimodel, chat.view_openaimodel
    support  auth.view_user
    admins   auth.{add,change,delete,view}_{user,group}, chat.{add,change,delete,view}_openaimodel

OpenAI models (chat.OpenAIModel):
    gpt-4o       max_tokens 4096    temperature 0.70  enabled   users alice, bob
    gpt-4o-mini  max_tokens 16384   temperature 1.00  enabled   users bob, carol, zoë.李
    o3-mini      max_tokens 100000  temperature 0.20  DISABLED  users alice
"""
import datetime
import decimal
import os
import sys
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "djangoproject"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_settings.settings")

DB_PATH = os.environ.get("DJANGO_DB_PATH")
if not DB_PATH:
    sys.exit("make_example.py: set DJANGO_DB_PATH to the database file to create")
if os.path.exists(DB_PATH):
    sys.exit("make_example.py: %s already exists; refusing to add to it" % DB_PATH)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group, Permission  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402

from chat.models import OpenAIModel  # noqa: E402

UTC = datetime.timezone.utc
CUSTOM = settings.USER_VARIANT == "custom"


def perm(app_label, codename):
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def dt(*args):
    return datetime.datetime(*args, tzinfo=UTC)


def make_user(username, password, *, superuser=False, **fields):
    User = get_user_model()
    if superuser:
        user = User.objects.create_superuser(username, fields.pop("email"), password, **fields)
    else:
        user = User.objects.create_user(username, fields.pop("email"), password, **fields)
    return user


def populate():
    custom = {}
    if CUSTOM:
        custom = {
            "alice": dict(phone="+1 555 0100", birth_date=datetime.date(1990, 2, 28), karma=42,
                          balance=decimal.Decimal("1234.50"), bio="Admin.\nLikes SQLite.",
                          external_id=uuid.UUID("0b5e6d1e-8f5a-4c39-9a57-2f0a3c1d9e01")),
            "bob": dict(phone="", birth_date=None, karma=-3, balance=decimal.Decimal("0.05"),
                        bio="", external_id=None),
            "zoë.李": dict(phone="+86 10 1234 5678", birth_date=datetime.date(2000, 1, 1),
                           karma=7, balance=decimal.Decimal("-19.99"),
                           bio='Emoji 🦄, CJK 李小龍, quotes "double" and \'single\'.',
                           external_id=uuid.UUID("c3d4e5f6-a7b8-4c9d-8e0f-112233445566")),
        }

    alice = make_user("alice", "alice-password", superuser=True, email="alice@example.com",
                      first_name="Alice", last_name="Anderson",
                      date_joined=dt(2023, 1, 15, 8, 0, 0), **custom.get("alice", {}))
    bob = make_user("bob", "bob-password", email="bob@example.com", first_name="Bob",
                    last_name="Brown", is_staff=True,
                    date_joined=dt(2023, 3, 2, 12, 30, 45, 123456), **custom.get("bob", {}))
    carol = make_user("carol", "carol-password", email="carol@example.org",
                      first_name="Carol", last_name="Clark",
                      date_joined=dt(2023, 6, 30, 23, 59, 59, 999999))
    dave = make_user("dave", "dave-password", email="dave@example.net", first_name="Dave",
                     last_name="Davis", is_active=False, date_joined=dt(2022, 11, 5, 7, 15, 0))
    eve = make_user("eve", None, email="", first_name="Eve", last_name="",
                    date_joined=dt(2024, 2, 29, 16, 0, 0, 500))
    eve.set_unusable_password()  # create_user(password=None) already does this; be explicit
    eve.save(update_fields=["password"])
    zoe = make_user("zoë.李", "zoë-pässwörd-🔑", email="zoe@example.com",
                    first_name='Zoë 🦄 "Z"', last_name="O'Brien 李小龍",
                    date_joined=dt(2024, 7, 4, 4, 4, 4, 40404), **custom.get("zoë.李", {}))

    # last_login on some users (one without microseconds: stored without fraction).
    User = get_user_model()
    User.objects.filter(pk=alice.pk).update(last_login=dt(2024, 5, 1, 9, 30, 15, 123456))
    User.objects.filter(pk=bob.pk).update(last_login=dt(2024, 5, 2, 18, 0, 0))
    User.objects.filter(pk=zoe.pk).update(last_login=dt(2024, 12, 31, 23, 59, 59, 1))

    editors = Group.objects.create(name="editors")
    editors.permissions.set([perm("chat", "change_openaimodel"), perm("chat", "view_openaimodel")])
    support = Group.objects.create(name="support")
    support.permissions.set([perm("auth", "view_user") if not CUSTOM else perm("accounts", "view_user")])
    admins = Group.objects.create(name="admins")
    user_app = "accounts" if CUSTOM else "auth"
    admins.permissions.set(
        [perm(user_app, "%s_user" % a) for a in ("add", "change", "delete", "view")]
        + [perm("auth", "%s_group" % a) for a in ("add", "change", "delete", "view")]
        + [perm("chat", "%s_openaimodel" % a) for a in ("add", "change", "delete", "view")]
    )

    alice.groups.add(admins)
    bob.groups.add(editors)
    carol.groups.add(support, editors)
    zoe.groups.add(editors)

    bob.user_permissions.add(perm("chat", "add_openaimodel"))
    carol.user_permissions.add(perm(user_app, "change_user"))
    dave.user_permissions.add(perm("chat", "view_openaimodel"))

    gpt4o = OpenAIModel.objects.create(
        name="gpt-4o", description="Flagship multimodal model.", max_tokens=4096,
        temperature=decimal.Decimal("0.70"), is_enabled=True)
    mini = OpenAIModel.objects.create(
        name="gpt-4o-mini", description="Small, fast and cheap.\nGood default for chat.",
        max_tokens=16384, temperature=decimal.Decimal("1.00"), is_enabled=True)
    o3 = OpenAIModel.objects.create(
        name="o3-mini", description="", max_tokens=100000,
        temperature=decimal.Decimal("0.20"), is_enabled=False)
    # "created" is auto_now_add; pin it to fixed values afterwards.
    OpenAIModel.objects.filter(pk=gpt4o.pk).update(created=dt(2024, 5, 13, 17, 0, 0, 250000))
    OpenAIModel.objects.filter(pk=mini.pk).update(created=dt(2024, 7, 18, 10, 0, 0))
    OpenAIModel.objects.filter(pk=o3.pk).update(created=dt(2025, 1, 31, 12, 34, 56, 789012))

    gpt4o.users.add(alice, bob)
    mini.users.add(bob, carol, zoe)
    o3.users.add(alice)


def main():
    call_command("migrate", verbosity=0, interactive=False)
    with transaction.atomic():
        populate()
    print("make_example.py: wrote %s (%s variant)" % (DB_PATH, settings.USER_VARIANT))


if __name__ == "__main__":
    main()
