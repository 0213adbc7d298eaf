"""Django's view of the data, as a snapshot that later checks compare against.

A snapshot holds:

* ``dump``: ``manage.py dumpdata <user model> auth.group chat --natural-foreign``,
  parsed, with one normalisation: many-to-many lists whose far side has no
  ``Meta.ordering`` (a user's groups, a model's users) are sorted. Django lists
  those in whatever order SQLite returns the rows of the link table, which
  depends on insertion order and query plan, not on the data. Lists of
  permissions are ordered by Django (``Permission.Meta.ordering``) and are left
  as they are. Objects themselves come ordered by primary key.
* ``raw``: every row of the user and OpenAI model tables as SQLite stores it,
  with the storage class of each value. dumpdata
  rounds datetimes to milliseconds, and SQLite compares values of different
  storage classes differently in the WHERE clauses Django generates
  (``date_joined__gte``, ``temperature__lt``), so this catches what dumpdata cannot.
  Only on SQLite (``{}`` on another engine).
* ``values``: every row of the same tables as Django's ORM reads it, at full
  precision (datetimes with microseconds, decimals with their scale), as
  ``[Python type, value]``: the same on every engine when the data is the same,
  so a restore into another engine is compared value by value too.
* ``engine``: Django's name for the database engine (``sqlite``, ``postgresql``).
* ``effective_permissions``: ``ModelBackend().get_all_permissions(user)``, what
  ``user.has_perm`` answers from, for a sample of users (see below).
* ``inactive`` / ``unusable``: usernames with ``is_active`` false, and with
  ``has_usable_password()`` false.
* ``ids``: content type and permission ids (they differ between databases).
"""
import datetime
import decimal
import io
import json
import os
import sqlite3
import urllib.parse
import uuid

from _django import USER_LABEL, USER_TABLE, VARIANT, User, fact

from django.apps import apps
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db.models import Q
from django.db.models.functions import Mod
from django.conf import settings
from django.db import connection

from chat.models import OpenAIModel

DUMP_LABELS = [USER_LABEL, "auth.group", "chat"]
RAW_TABLES = [USER_TABLE, OpenAIModel._meta.db_table]


def dump_objects():
    out = io.StringIO()
    call_command("dumpdata", *DUMP_LABELS, natural_foreign=True, format="json", stdout=out)
    objects = json.loads(out.getvalue())
    for obj in objects:
        model = apps.get_model(obj["model"])
        for field in model._meta.many_to_many:
            if field.name in obj["fields"] and not field.related_model._meta.ordering:
                obj["fields"][field.name].sort()
    return objects


def raw_rows(table):
    """{id: {column: [storage class, value]}} for every row of the table, as SQLite stores it.

    Read through a plain sqlite3 connection: Django's own connection converts
    values by declared column type on the way out, which would hide the storage.
    """
    path = settings.DATABASES["default"]["NAME"]
    raw = sqlite3.connect("file:%s?mode=ro" % urllib.parse.quote(os.path.abspath(path)), uri=True)
    try:
        columns = [r[1] for r in raw.execute('PRAGMA table_info("%s")' % table)]
        select = ", ".join('typeof("%s"), "%s"' % (c, c) for c in columns)
        rows = {}
        for values in raw.execute('SELECT %s FROM "%s" ORDER BY "id"' % (select, table)):
            row = {c: [values[2 * i], values[2 * i + 1]] for i, c in enumerate(columns)}
            rows[str(row["id"][1])] = row
    finally:
        raw.close()
    return rows


def orm_values(model):
    """{id: {column: [Python type, value]}} for every row, as Django's ORM reads it."""
    columns = [f.attname for f in model._meta.concrete_fields]
    rows = {}
    for values in model.objects.order_by("pk").values_list(*columns):
        row = {c: [type(v).__name__, _plain(v)] for c, v in zip(columns, values)}
        rows[str(row[model._meta.pk.attname][1])] = row
    return rows


def _plain(value):
    if isinstance(value, datetime.datetime):
        # Aware datetimes (USE_TZ): the instant, in UTC, to the microsecond.
        return value.astimezone(datetime.timezone.utc).isoformat() if value.tzinfo else value.isoformat()
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    return value


def effective_permissions():
    """Asked of Django's ModelBackend for a sample: every tenth id, the first ten ids (the
    users made with real hashing) and every superuser. Each answer costs two queries,
    and what it is computed from (a user's groups, their permissions and the user's
    own permissions) is compared for every user in the dump already."""
    backend = ModelBackend()
    sample = (User.objects.annotate(pk_mod_10=Mod("pk", 10))
              .filter(Q(pk__lte=10) | Q(is_superuser=True) | Q(pk_mod_10=0)).order_by("pk"))
    return {u.username: sorted(backend.get_all_permissions(u)) for u in sample}


def id_facts():
    ids = {"ct.%s.%s" % (ct.app_label, ct.model): ct.id for ct in ContentType.objects.all()}
    for p in Permission.objects.select_related("content_type"):
        ids["perm.%s.%s" % (p.content_type.app_label, p.codename)] = p.id
    return ids


def snapshot():
    users = list(User.objects.order_by("pk"))
    return {
        "variant": VARIANT,
        "user_label": USER_LABEL,
        "user_table": USER_TABLE,
        "dump": dump_objects(),
        "engine": connection.vendor,
        "raw": {table: raw_rows(table) for table in RAW_TABLES} if connection.vendor == "sqlite" else {},
        "values": {USER_TABLE: orm_values(User), OpenAIModel._meta.db_table: orm_values(OpenAIModel)},
        "effective_permissions": effective_permissions(),
        "inactive": [u.username for u in users if not u.is_active],
        "unusable": [u.username for u in users if not u.has_usable_password()],
        "ids": id_facts(),
    }


def print_facts(snap):
    """Counts the Java side checks, so that no scenario passes on an empty data set."""
    users = [o for o in snap["dump"] if o["model"] == snap["user_label"]]
    models = [o for o in snap["dump"] if o["model"] == "chat.openaimodel"]
    fact("variant", snap["variant"])
    fact("users", len(users))
    fact("max_user_id", max((o["pk"] for o in users), default=0))
    fact("groups", sum(1 for o in snap["dump"] if o["model"] == "auth.group"))
    fact("models", len(models))
    fact("memberships", sum(len(o["fields"]["groups"]) for o in users))
    fact("direct_permissions", sum(len(o["fields"]["user_permissions"]) for o in users))
    fact("assignments", sum(len(o["fields"]["users"]) for o in models))
    fact("inactive", len(snap["inactive"]))
    fact("unusable", len(snap["unusable"]))
    fact("non_ascii_usernames", sum(1 for o in users if not o["fields"]["username"].isascii()))
    for key in ("ct.chat.openaimodel", "ct.%s" % snap["user_label"], "perm.chat.add_openaimodel",
                "perm.auth.change_group"):
        fact(key, snap["ids"].get(key))
    if snap["variant"] == "custom":
        # How many users hold a value other than the column's default in each extra column.
        defaults = {f.name: f.get_default() for f in User._meta.concrete_fields}
        for name in ("phone", "birth_date", "karma", "balance", "bio", "external_id"):
            fact("custom_set." + name, sum(1 for o in users if _differs(o["fields"].get(name), defaults[name])))


def _differs(dumped, default):
    if dumped is None or dumped == "":
        return default not in (None, "")
    try:
        return float(dumped) != float(default)
    except (TypeError, ValueError):
        return True

