"""Scenario data, made through Django's ORM.

* ``build_source``: a freshly migrated database filled with thousands of users
  (bulk_create with precomputed hashes) plus a handful made with real hashing
  (create_user / create_superuser), groups, direct permissions, OpenAI model
  assignments, unicode everywhere, inactive users and unusable passwords.
* ``build_target``: a database to merge or replace into, derived from a source
  snapshot: some of the source's users again (same id and username, other data),
  users of its own, groups with the same names but other ids and permissions,
  model rows of its own.
* ``drift``: changes made through the ORM after a backup was taken, so that the
  scenario 7 helper has differences to find.

Every builder returns a password file: which plaintext each user's hash belongs to
(``None``: the password must be unusable), and which users to log in with for real.

Speed: only the known users are hashed with Django's default PBKDF2 iterations
(260000 in Django 3.2, about 0.2 s each). Bulk users share a few precomputed
hashes: two with the default hasher at default iterations, the others made with
the same algorithms at 1000 iterations. Those are still hashes Django's
configured hashers verify (PBKDF2 keeps the iteration count in the hash, as
hashes from older Django releases do), so PASSWORD_HASHERS is left as it is.
"""
import datetime
import random
import uuid
from decimal import Decimal

from _django import VARIANT, User

from django.contrib.auth.hashers import (
    PBKDF2PasswordHasher,
    PBKDF2SHA1PasswordHasher,
    make_password,
)
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction

from chat.models import OpenAIModel

UTC = datetime.timezone.utc
CUSTOM = VARIANT == "custom"

# Permissions only from apps that every variant of the project installs, so that
# a target migrated with other extra apps can still hold every assigned one.
BASE_APPS = ("admin", "auth", "contenttypes", "sessions", "chat", "accounts")

FIRST_NAMES = ["Anna", "Jürgen", "Łukasz", "李", "Σοφία", "محمد", "Zoë 🦄", "O'Neil",
               'Quote "Q"', "Back\\slash", "", "Ñandú", "Åsa", "Þór", "名前", "Ærøskøbing"]
LAST_NAMES = ["Smith", "Müller", "O'Brien 李小龍", "", "Nguyễn", "Ström", "Łódź",
              "עברית", "Tab\tbed", "Dupont-Durand", "🦄🐉", "x" * 150]
USERNAME_STEMS = ["anna", "jürgen", "łukasz", "李", "σοφία", "user", "zoë", "o.neil",
                  "x_y", "a+b", "name@host", "dash-ed", "ñandú", "名前"]
GROUP_NAMES = ["editors", "support", "admins", "Редакторы", "编辑组", "équipe 🦄",
               'quotes "double" \'single\'', "back\\slash", "g" * 150, "trailing space ",
               "UPPER", "upper", "empty group", "all permissions"] + ["team-%02d" % i for i in range(10)]
TEMPERATURES = ["0.00", "0.10", "0.70", "1.00", "1.25", "1.99", "2.00", "12.34", "99.99",
                "-0.01", "-99.99"]
DESCRIPTIONS = ["", "Flagship multimodal model.", "Small, fast and cheap.\nGood default for chat.",
                "Emoji 🦄, CJK 李小龍, quotes \"double\" and 'single', back\\slash.",
                "Tabs\tand\r\nwindows line ends", "long " * 400]


class _OldPbkdf2Sha256(PBKDF2PasswordHasher):
    """Same algorithm name and format as Django's default hasher, fewer iterations."""
    iterations = 1000


class _OldPbkdf2Sha1(PBKDF2SHA1PasswordHasher):
    iterations = 1000


def _bulk_hashes():
    """(plaintext, hash) pairs shared by the bulk users: few real hash computations."""
    return [
        ("bulk-default-pässword", make_password("bulk-default-pässword", "bulkdefault1")),
        ("bulk default 2 🔑", make_password("bulk default 2 🔑", "bulkdefault2")),
        ("bulk-old-sha256", make_password("bulk-old-sha256", "bulkold1", hasher=_OldPbkdf2Sha256())),
        ("bulk-old-sha256-b", make_password("bulk-old-sha256-b", "bulkold2", hasher=_OldPbkdf2Sha256())),
        ("bulk-old-sha1 ✓", make_password("bulk-old-sha1 ✓", "bulkold3", hasher=_OldPbkdf2Sha1())),
        ("李小龍-password", make_password("李小龍-password", "bulkold4", hasher=_OldPbkdf2Sha1())),
    ]


def _dt(*args):
    return datetime.datetime(*args, tzinfo=UTC)


def _random_dt(rng, start_year=2015, days=3650):
    value = _dt(start_year, 1, 1) + datetime.timedelta(seconds=rng.randrange(days * 86400))
    if rng.random() < 0.7:
        value = value.replace(microsecond=rng.randrange(1, 1000000))
    return value


def _extra_columns(rng, index):
    """Values for the custom user's extra columns (empty dict in the default variant)."""
    if not CUSTOM:
        return {}
    return {
        "phone": rng.choice(["", "+1 555 %04d" % (index % 10000), "+49 (0)30 1234-%d" % index, "☎ %d" % index]),
        "birth_date": None if rng.random() < 0.3
        else datetime.date(1940, 1, 1) + datetime.timedelta(days=rng.randrange(30000)),
        "karma": rng.choice([0, 1, -1, 2147483647, -2147483648, rng.randrange(-10 ** 6, 10 ** 6)]),
        "balance": rng.choice([Decimal("0.00"), Decimal("-0.01"), Decimal("99999999.99"),
                               Decimal(rng.randrange(-10 ** 10 + 1, 10 ** 10)).scaleb(-2)]),
        "bio": rng.choice(["", "Line one\nLine two", "Emoji 🦄 and CJK 李小龍",
                           'quotes "double" \'single\' \\ back', "b" * 2000]),
        "external_id": None if rng.random() < 0.3 else uuid.UUID(int=rng.getrandbits(128), version=4),
    }


def _base_permissions():
    return list(Permission.objects.select_related("content_type")
                .filter(content_type__app_label__in=BASE_APPS).order_by("id"))


def _perm(app_label, codename):
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def _link_names(descriptor):
    """The two foreign key column names of an m2m through table, owner first."""
    field = descriptor.field
    return field.m2m_field_name() + "_id", field.m2m_reverse_field_name() + "_id"


def _bulk_link(descriptor, pairs):
    through = descriptor.through
    owner, target = _link_names(descriptor)
    through.objects.bulk_create([through(**{owner: a, target: b}) for a, b in pairs], batch_size=2000)


def _reset_sequence(model):
    """After bulk_create with explicit ids, the next id Django gets is above them on every engine.

    SQLite takes max(id) + 1 by itself; PostgreSQL's sequence does not move for explicit ids.
    """
    statements = connection.ops.sequence_reset_sql(no_style(), [model])
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


def _next_ids(rng, start, count, gap_chance=0.05):
    """Increasing ids with occasional gaps, as a table that had rows deleted has."""
    ids, current = [], start
    for _ in range(count):
        ids.append(current)
        current += 1 if rng.random() > gap_chance else rng.randrange(2, 6)
    return ids


# --- source ---------------------------------------------------------------

def _make_known_users(passwords, login):
    """A handful of users made the way an application makes them: real default hashing."""
    user_app = "accounts" if CUSTOM else "auth"
    specs = [
        # username, password, create kwargs, extra columns (custom variant)
        ("alice", "alice-password", dict(superuser=True, email="alice@example.com", first_name="Alice",
                                         last_name="Anderson", date_joined=_dt(2023, 1, 15, 8, 0, 0)),
         dict(phone="+1 555 0100", birth_date=datetime.date(1990, 2, 28), karma=42,
              balance=Decimal("1234.50"), bio="Admin.\nLikes SQLite.",
              external_id=uuid.UUID("0b5e6d1e-8f5a-4c39-9a57-2f0a3c1d9e01"))),
        ("bob", "bob-password", dict(email="bob@example.com", first_name="Bob", is_staff=True,
                                     date_joined=_dt(2023, 3, 2, 12, 30, 45, 123456)),
         dict(karma=-3, balance=Decimal("0.05"))),
        ("carol", "carol-password", dict(email="carol@example.org", first_name="Carol",
                                         date_joined=_dt(2023, 6, 30, 23, 59, 59, 999999)), {}),
        ("dave", "dave-password", dict(email="dave@example.net", is_active=False,
                                       date_joined=_dt(2022, 11, 5, 7, 15, 0)), dict(karma=7)),
        ("eve", None, dict(email="", first_name="Eve", date_joined=_dt(2024, 2, 29, 16, 0, 0, 500)), {}),
        ("zoë.李", "zoë-pässwörd-🔑", dict(email="zoe@example.com", first_name='Zoë 🦄 "Z"',
                                          last_name="O'Brien 李小龍", date_joined=_dt(2024, 7, 4, 4, 4, 4, 40404)),
         dict(phone="+86 10 1234 5678", birth_date=datetime.date(2000, 1, 1), balance=Decimal("-19.99"),
              bio='Emoji 🦄, CJK 李小龍, quotes "double" and \'single\'.',
              external_id=uuid.UUID("c3d4e5f6-a7b8-4c9d-8e0f-112233445566"))),
        ("frank", "frank-sha1-password", dict(email="frank@example.com", date_joined=_dt(2021, 1, 1)), {}),
        ("grace", None, dict(email="grace@example.com", is_active=False, date_joined=_dt(2020, 5, 5, 5, 5, 5, 1)), {}),
    ]
    users = {}
    for username, password, kwargs, extra in specs:
        kwargs = dict(kwargs)
        if CUSTOM:
            kwargs.update(extra)
        email = kwargs.pop("email")
        if kwargs.pop("superuser", False):
            user = User.objects.create_superuser(username, email, password, **kwargs)
        else:
            user = User.objects.create_user(username, email, password, **kwargs)
        if password is None:
            user.set_unusable_password()  # create_user(password=None) already does; be explicit
            user.save(update_fields=["password"])
        users[username] = user
        passwords[username] = password
    # frank's hash comes from Django's second configured hasher, at its default iterations.
    users["frank"].password = make_password("frank-sha1-password", hasher="pbkdf2_sha1")
    users["frank"].save(update_fields=["password"])
    User.objects.filter(pk=users["alice"].pk).update(last_login=_dt(2024, 5, 1, 9, 30, 15, 123456))
    User.objects.filter(pk=users["bob"].pk).update(last_login=_dt(2024, 5, 2, 18, 0, 0))
    User.objects.filter(pk=users["zoë.李"].pk).update(last_login=_dt(2024, 12, 31, 23, 59, 59, 1))
    users["bob"].user_permissions.add(_perm("chat", "add_openaimodel"))
    users["carol"].user_permissions.add(_perm(user_app, "change_user"))
    users["dave"].user_permissions.add(_perm("chat", "view_openaimodel"))
    login.extend(["alice", "bob", "carol", "dave", "zoë.李", "frank"])
    return users


def _make_groups(rng, perms, names_distinct_ignoring_case=False):
    # "UPPER" and "upper" are two groups on SQLite and PostgreSQL, one name to MySQL's case-insensitive collations.
    names = [n for n in GROUP_NAMES if not (names_distinct_ignoring_case and n == "upper")]
    ids = _next_ids(rng, 1, len(names), gap_chance=0.3)
    groups = [Group(id=i, name=name) for i, name in zip(ids, names)]
    Group.objects.bulk_create(groups)
    _reset_sequence(Group)
    pairs = []
    for group in groups:
        if group.name == "empty group":
            continue
        chosen = perms if group.name == "all permissions" else rng.sample(perms, rng.randrange(0, 12))
        pairs.extend((group.id, p.id) for p in chosen)
    _bulk_link(Group.permissions, pairs)
    return {g.name: g for g in groups}


def _make_bulk_users(rng, count, first_id, passwords):
    hashes = _bulk_hashes()
    users = []
    for index, pk in enumerate(_next_ids(rng, first_id, count)):
        username = "%s.%05d" % (rng.choice(USERNAME_STEMS), pk)
        roll = rng.random()
        if index == 3:
            password, encoded = "", ""  # empty hash column: usable per Django, matches nothing
        elif roll < 0.03:
            password, encoded = None, make_password(None)  # "!" + 40 random characters
        else:
            password, encoded = hashes[index % len(hashes)]
        if password != "":
            passwords[username] = password
        joined = _random_dt(rng)
        users.append(User(
            id=pk, username=username, password=encoded,
            email=rng.choice(["", "%s@example.com" % username, "ünïcödé.%d@例え.jp" % pk, "UPPER.%d@EXAMPLE.ORG" % pk]),
            first_name=rng.choice(FIRST_NAMES), last_name=rng.choice(LAST_NAMES),
            is_active=rng.random() > 0.1, is_staff=rng.random() < 0.05, is_superuser=rng.random() < 0.01,
            date_joined=joined,
            last_login=None if rng.random() < 0.3 else joined + datetime.timedelta(seconds=rng.randrange(10 ** 8)),
            **_extra_columns(rng, pk)))
    User.objects.bulk_create(users, batch_size=500)
    _reset_sequence(User)
    return users


def _make_models(rng, user_ids, inactive_ids):
    names = ["gpt-4o", "gpt-4o-mini", "o3-mini", "model-🦄", "ñ-model", "李-model", 'quote "model"']
    names += ["model-%02d" % i for i in range(40 - len(names))]
    ids = _next_ids(rng, 1, len(names), gap_chance=0.3)
    models = [OpenAIModel(id=pk, name=name, description=rng.choice(DESCRIPTIONS),
                          max_tokens=rng.choice([0, 1, 4096, 16384, 100000, 2147483647, -1]),
                          temperature=Decimal(rng.choice(TEMPERATURES)), is_enabled=rng.random() > 0.2)
              for pk, name in zip(ids, names)]
    OpenAIModel.objects.bulk_create(models)
    _reset_sequence(OpenAIModel)
    # "created" is auto_now_add, which bulk_create fills with now(); pin it afterwards.
    for model in models:
        OpenAIModel.objects.filter(pk=model.pk).update(created=_random_dt(rng, 2022, 1000))
    pairs = []
    for index, model in enumerate(models):
        if index == 0:
            chosen = []
        elif index == 1:
            chosen = inactive_ids
        else:
            chosen = rng.sample(user_ids, min(len(user_ids), rng.choice([1, 5, 50, 150])))
        pairs.extend((model.id, u) for u in chosen)
    _bulk_link(OpenAIModel.users, pairs)
    return models


def build_source(user_count, seed, names_distinct_ignoring_case=False):
    """Migrates and fills the database; returns the password file content."""
    call_command("migrate", verbosity=0, interactive=False)
    rng = random.Random(seed)
    passwords, login = {}, []
    with transaction.atomic():
        perms = _base_permissions()
        groups = _make_groups(rng, perms, names_distinct_ignoring_case or connection.vendor == "mysql")
        known = _make_known_users(passwords, login)
        known["alice"].groups.add(groups["admins"], groups["all permissions"])
        known["bob"].groups.add(groups["editors"])
        known["carol"].groups.add(groups["support"], groups["editors"], groups["Редакторы"])
        known["dave"].groups.add(groups["editors"])
        known["zoë.李"].groups.add(groups["équipe 🦄"], groups["编辑组"])
        bulk = _make_bulk_users(rng, user_count, max(u.pk for u in known.values()) + 1, passwords)
        group_ids = [g.id for g in groups.values() if g.name != "empty group"]
        memberships, direct = [], []
        for user in bulk:
            memberships.extend((user.id, g) for g in rng.sample(group_ids, rng.choice([0, 0, 1, 1, 1, 2, 2, 4])))
            if rng.random() < 0.2:
                direct.extend((user.id, p.id) for p in rng.sample(perms, rng.randrange(1, 4)))
        _bulk_link(User.groups, memberships)
        _bulk_link(User.user_permissions, direct)
        user_ids = [u.pk for u in known.values()] + [u.id for u in bulk]
        inactive_ids = [u.pk for u in known.values() if not u.is_active] + [u.id for u in bulk if not u.is_active]
        _make_models(rng, user_ids, inactive_ids)
        # Deleted users leave gaps, and deleting the newest one leaves the id sequence
        # above the highest id, as in any database that has been in use.
        # bulk[3] (the empty hash) is kept: the scenarios count on exactly one such user.
        doomed = rng.sample([u.id for u in bulk[4:-1]], max(1, len(bulk) // 100)) + [bulk[-1].id]
        doomed_names = set(User.objects.filter(pk__in=doomed).values_list("username", flat=True))
        User.objects.filter(pk__in=doomed).delete()
        for name in doomed_names:
            passwords.pop(name, None)
    return {"passwords": passwords, "login": login}


# --- target ---------------------------------------------------------------

def _source_objects(snapshot):
    users = [o for o in snapshot["dump"] if o["model"] == snapshot["user_label"]]
    groups = [o for o in snapshot["dump"] if o["model"] == "auth.group"]
    models = [o for o in snapshot["dump"] if o["model"] == "chat.openaimodel"]
    return users, groups, models


def build_target(snapshot, seed, clash=None):
    """Migrates and fills a target for merge/replace, from the source's snapshot.

    clash=None: the full divergent target (overlapping users, own users, groups and models).
    clash="id": only one own user, on an id the backup uses for another username.
    clash="username": only one own user, with a username the backup has, on another id.
    """
    call_command("migrate", verbosity=0, interactive=False)
    rng = random.Random(seed)
    source_users, source_groups, source_models = _source_objects(snapshot)
    by_name = {o["fields"]["username"]: o for o in source_users}
    max_user = max(o["pk"] for o in source_users)
    passwords, overridden, login = {}, {}, []
    target_hash = ("target-side-password", make_password("target-side-password", "targetsalt",
                                                          hasher=_OldPbkdf2Sha256()))
    with transaction.atomic():
        if clash == "id":
            victim = [o for o in source_users if o["fields"]["username"] not in ("alice", "bob")][10]
            user = User.objects.create_user("newcomer.only.in.target", "new@example.com", "newcomer-password",
                                            id=victim["pk"], first_name="Newcomer")
            user.groups.add(Group.objects.create(name="target-only newcomers"))
            passwords[user.username] = "newcomer-password"
            login.append(user.username)
            return {"passwords": passwords, "login": login, "overridden": overridden}
        if clash == "username":
            user = User.objects.create_user("carol", "carol@target.example", "carol-in-target",
                                            id=max_user + 100, first_name="Other Carol")
            passwords[user.username] = "carol-in-target"
            return {"passwords": passwords, "login": login, "overridden": overridden}

        perms = _base_permissions()
        # Target-only groups first, then half of the source's names in reverse order:
        # same names, other ids, other permissions.
        names = ["target-only A", "target-only B 🧪"] + [o["fields"]["name"] for o in source_groups][::2][::-1]
        groups = [Group.objects.create(name=name) for name in names]
        source_ids = {o["fields"]["name"]: o["pk"] for o in source_groups}
        if not any(source_ids.get(g.name, g.id) != g.id for g in groups):
            raise SystemExit("build-target: no shared group name got another id; merge and replace would prove less")
        _bulk_link(Group.permissions, [(g.id, p.id) for g in groups for p in rng.sample(perms, rng.randrange(1, 6))])
        group_ids = [g.id for g in groups]

        # Some of the source's users again: same id and username, everything else different.
        overlap = [o for o in source_users if o["fields"]["username"] in ("bob", "dave", "eve", "zoë.李")]
        overlap += [o for o in source_users if o["pk"] % 10 == 3 and o not in overlap]
        users = []
        for o in overlap:
            f = o["fields"]
            extra = _extra_columns(rng, o["pk"])
            if CUSTOM:
                extra["karma"] = 123456789  # never a source value: every overlap user differs here
            users.append(User(id=o["pk"], username=f["username"], password=target_hash[1],
                              email="target.%d@example.net" % o["pk"], first_name="Target " + f["first_name"],
                              last_name=f["last_name"][::-1], is_active=not f["is_active"],
                              is_staff=not f["is_staff"], is_superuser=False,
                              date_joined=_dt(2030, 1, 1) + datetime.timedelta(seconds=o["pk"]),
                              last_login=None, **extra))
            overridden[f["username"]] = target_hash[0]
        # Users of the target's own: some in gaps of the source's ids, most above them.
        taken = {o["pk"] for o in source_users}
        gap_ids = [i for i in range(1, max_user) if i not in taken][:5]
        own_ids = gap_ids + list(range(max_user + 50, max_user + 250))
        for index, pk in enumerate(own_ids):
            username = "target-own.%s.%d" % (rng.choice(USERNAME_STEMS), pk)
            users.append(User(id=pk, username=username, password=target_hash[1] if index % 7 else make_password(None),
                              email="%s@target.example" % username, first_name=rng.choice(FIRST_NAMES),
                              last_name=rng.choice(LAST_NAMES), is_active=rng.random() > 0.1,
                              date_joined=_random_dt(rng, 2025, 300), last_login=None,
                              **_extra_columns(rng, pk)))
            passwords[username] = target_hash[0] if index % 7 else None
        User.objects.bulk_create(users, batch_size=500)
        _reset_sequence(User)
        admin = User.objects.create_user("target-admin", "admin@target.example", "target-admin-password",
                                         is_staff=True)
        passwords[admin.username] = "target-admin-password"
        login.append(admin.username)

        all_ids = [u.id for u in users] + [admin.pk]
        _bulk_link(User.groups, [(u, g) for u in all_ids for g in rng.sample(group_ids, rng.choice([0, 1, 2]))])
        _bulk_link(User.user_permissions,
                   [(u, p.id) for u in all_ids if rng.random() < 0.5 for p in rng.sample(perms, 2)])

        # Model rows: some with a source row's id and name but other values and users,
        # others only here.
        overlap_models = source_models[::3]
        max_model = max(o["pk"] for o in source_models)
        models = [OpenAIModel(id=o["pk"], name=o["fields"]["name"], description="target version",
                              max_tokens=7, temperature=Decimal("0.33"), is_enabled=not o["fields"]["is_enabled"])
                  for o in overlap_models]
        models += [OpenAIModel(id=max_model + 10 + i, name="target-model-%d 🧪" % i, description="",
                               max_tokens=i, temperature=Decimal("1.50"), is_enabled=True) for i in range(5)]
        OpenAIModel.objects.bulk_create(models)
        _reset_sequence(OpenAIModel)
        OpenAIModel.objects.update(created=_dt(2031, 2, 3, 4, 5, 6, 7))
        _bulk_link(OpenAIModel.users, [(m.id, u) for m in models for u in rng.sample(all_ids, 20)])
    return {"passwords": passwords, "login": login, "overridden": overridden}


# --- drift (scenario 7) ----------------------------------------------------

def drift(seed):
    """Changes data through the ORM after a backup; returns what the scenario 7 helper must find."""
    rng = random.Random(seed)
    with transaction.atomic():
        candidates = list(User.objects.filter(is_active=True).exclude(password="")
                          .exclude(username__in=["alice", "bob", "carol"]).order_by("pk"))
        rng.shuffle(candidates)
        with_perms = [u for u in candidates if u.user_permissions.exists()]
        picked = [with_perms[0]] + [u for u in candidates if u != with_perms[0]][:8]
        users = dict(zip(["perm", "email", "password", "active", "group", "deleted", "model", "login", "custom"],
                         picked))
        changed_models = set()

        u = users["perm"]
        u.user_permissions.remove(u.user_permissions.first())
        u = users["email"]
        u.email = "drifted@example.com"
        u.save()
        u = users["password"]
        u.set_password("drifted password")
        u.save()
        u = users["active"]
        u.is_active = False
        u.save()
        u = users["group"]
        u.groups.add(Group.objects.exclude(pk__in=u.groups.values("pk")).order_by("pk").first())
        u = users["model"]
        model = OpenAIModel.objects.exclude(pk__in=u.openai_models.values("pk")).order_by("pk").first()
        u.openai_models.add(model)
        changed_models.add(model.pk)
        u = users["login"]
        # One microsecond: dumpdata would not see it (it keeps milliseconds), Django's values do.
        u.last_login = (u.last_login or _dt(2020, 1, 1)) + datetime.timedelta(microseconds=1)
        u.save(update_fields=["last_login"])
        if CUSTOM:
            u = users["custom"]
            u.balance = u.balance + Decimal("0.01")
            u.save()
        else:
            del users["custom"]
        changed_users = {u.pk for u in users.values()}
        u = users["deleted"]
        changed_models.update(u.openai_models.values_list("pk", flat=True))
        u.delete()
        newcomer = User.objects.create_user("drift.newcomer", "new@example.com", None)
        changed_users.add(newcomer.pk)

        group = Group.objects.get(name="editors")
        group.permissions.add(Permission.objects.exclude(pk__in=group.permissions.values("pk")).order_by("pk").first())
        described = OpenAIModel.objects.order_by("pk").last()
        described.description += " (drifted)"
        described.save()
        changed_models.add(described.pk)
    return {"users": sorted(changed_users), "groups": ["editors"], "models": sorted(changed_models)}
