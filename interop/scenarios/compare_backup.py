#!/usr/bin/python3
"""Compares a django-user-backup file with Django's own view of a database, by user.

    DJANGO_DB_PATH=db.sqlite3 [DJANGO_USER_VARIANT=custom] /usr/bin/python3 interop/scenarios/compare_backup.py BACKUP.json[.gz]
    DJANGO_DB_URL=mysql://user:password@127.0.0.1:3306/app /usr/bin/python3 interop/scenarios/compare_backup.py BACKUP.json

Prints one line per difference, for example

    user 17 "alice": email: backup "a@example.com", django "b@example.com"
    user 3001 "newbie": only in django
    group "editors": permissions only in django: ["chat.openaimodel.add_openaimodel"]
    model 4 "gpt-4o": users only in backup: [17]

then a summary, and exits 0 when Django sees exactly what the backup holds, 1 when
something differs, 2 when the file cannot be read.

The backup's values are turned into Python values by Django itself: each column
goes through the same converters Django applies to values read from SQLite
(the SQLite backend's ``get_db_converters`` and the field's own, whatever engine
the database is on, since a backup holds Django's SQLite forms), so the comparison is
between what Django would see after restoring the backup and what it sees now,
at full precision (dumpdata would round datetimes to milliseconds).

Users are matched by id, model rows by id, groups by name (how the tool matches
them; group ids are not compared). A user's groups, direct permissions and OpenAI
models are compared as sets. Machine-readable ``fact`` lines at the end list the
ids of differing users and models and the names of differing groups.
"""
import gzip
import json
import sys

import _django  # noqa: F401  (sets Django up)
from _django import User, fact

from django.contrib.auth.models import Group
from django.db import connection
from django.db.backends.sqlite3.operations import DatabaseOperations as SqliteOperations

from chat.models import OpenAIModel

LINKS = ("groups", "user_permissions")


def _q(value):
    return json.dumps(value, ensure_ascii=False)


def _show(value):
    text = repr(value) if not isinstance(value, str) else _q(value)
    return text if len(text) <= 160 else text[:150] + "...(%d chars)" % len(text)


def load(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as f:
        return json.load(f)


# A backup holds every value in Django's SQLite form, whichever engine it came from or this database is on
# (PostgreSQL, MySQL): its values are read with the SQLite backend's converters.
BACKUP_OPS = connection.ops if connection.vendor == "sqlite" else SqliteOperations(connection)


class DjangoValues:
    """Turns stored column values into the Python values Django reads from them."""

    def __init__(self, model):
        self.fields = {}
        for field in model._meta.concrete_fields:
            col = field.get_col(model._meta.db_table)
            converters = BACKUP_OPS.get_db_converters(col) + col.get_db_converters(connection)
            self.fields[field.column] = (field, col, converters)

    def columns(self):
        return self.fields.keys()

    def convert(self, column, value):
        _, col, converters = self.fields[column]
        for converter in converters:
            value = converter(value, col, connection)
        return value

    def of(self, obj, column):
        return getattr(obj, self.fields[column][0].attname)


def _perm_key(app_label, model, codename):
    return "%s.%s.%s" % (app_label, model, codename)


def django_users():
    """{id: (user, groups, permissions, models)} as Django sees them now."""
    users = {u.pk: u for u in User.objects.all()}
    groups = {pk: set() for pk in users}
    perms = {pk: set() for pk in users}
    models = {pk: set() for pk in users}
    through = User.groups.through
    owner = User.groups.field.m2m_field_name()
    for user_id, name in through.objects.values_list(owner + "_id", User.groups.field.m2m_reverse_field_name() + "__name"):
        groups[user_id].add(name)
    through = User.user_permissions.through
    owner = User.user_permissions.field.m2m_field_name()
    target = User.user_permissions.field.m2m_reverse_field_name()
    for row in through.objects.values_list(owner + "_id", target + "__content_type__app_label",
                                           target + "__content_type__model", target + "__codename"):
        perms[row[0]].add(_perm_key(*row[1:]))
    through = OpenAIModel.users.through
    for user_id, name in through.objects.values_list(OpenAIModel.users.field.m2m_reverse_field_name() + "_id",
                                                      OpenAIModel.users.field.m2m_field_name() + "__name"):
        models[user_id].add(name)
    return {pk: (users[pk], groups[pk], perms[pk], models[pk]) for pk in users}


def compare(backup, out):
    differing_users, differing_groups, differing_models = set(), set(), set()

    def differ(kind, key, line):
        {"user": differing_users, "group": differing_groups, "model": differing_models}[kind].add(key)
        out.append(line)

    user_values = DjangoValues(User)
    model_values = DjangoValues(OpenAIModel)
    backup_models = {row["id"]: row for row in backup.get("openai_models", [])}
    models_of_user = {}
    for row in backup_models.values():
        for user_id in row.get("assigned_users", []):
            models_of_user.setdefault(user_id, set()).add(row.get("name"))

    backup_users = {row["id"]: row for row in backup.get("users", [])}
    current = django_users()
    for pk in sorted(backup_users.keys() | current.keys()):
        row = backup_users.get(pk)
        name = row.get("username") if row is not None else current[pk][0].username
        label = "user %d %s" % (pk, _q(name))
        if row is None:
            differ("user", pk, label + ": only in django")
            continue
        if pk not in current:
            differ("user", pk, label + ": only in backup")
            continue
        user, groups, perms, models = current[pk]
        for column in user_values.columns():
            if column not in row:
                differ("user", pk, "%s: %s: not in backup, django %s" % (label, column, _show(user_values.of(user, column))))
                continue
            try:
                want = user_values.convert(column, row[column])
            except Exception as e:  # a value Django cannot read is a difference too
                differ("user", pk, "%s: %s: django cannot read the backup's %s (%s)" % (label, column, _show(row[column]), e))
                continue
            got = user_values.of(user, column)
            if want != got:
                differ("user", pk, "%s: %s: backup %s, django %s" % (label, column, _show(want), _show(got)))
        for column in sorted(set(row) - set(user_values.columns()) - set(LINKS)):
            differ("user", pk, "%s: %s: in backup, not a column django knows" % (label, column))
        backup_perms = {_perm_key(p["app_label"], p["model"], p["codename"]) for p in row.get("user_permissions", [])}
        for what, want, got in (("groups", set(row.get("groups", [])), groups),
                                ("user_permissions", backup_perms, perms),
                                ("openai_models", models_of_user.get(pk, set()), models)):
            if want != got:
                differ("user", pk, "%s: %s: only in backup %s, only in django %s"
                       % (label, what, _q(sorted(want - got)), _q(sorted(got - want))))

    backup_groups = {row["name"]: row for row in backup.get("groups", [])}
    current_groups = {g.name: {_perm_key(p.content_type.app_label, p.content_type.model, p.codename)
                               for p in g.permissions.select_related("content_type")}
                      for g in Group.objects.all()}
    for name in sorted(backup_groups.keys() | current_groups.keys()):
        label = "group %s" % _q(name)
        if name not in current_groups:
            differ("group", name, label + ": only in backup")
        elif name not in backup_groups:
            differ("group", name, label + ": only in django")
        else:
            want = {_perm_key(p["app_label"], p["model"], p["codename"]) for p in backup_groups[name].get("permissions", [])}
            if want != current_groups[name]:
                differ("group", name, "%s: permissions only in backup %s, only in django %s"
                       % (label, _q(sorted(want - current_groups[name])), _q(sorted(current_groups[name] - want))))

    current_models = {m.pk: m for m in OpenAIModel.objects.all()}
    model_users = {pk: set() for pk in current_models}
    through = OpenAIModel.users.through
    for model_id, user_id in through.objects.values_list(OpenAIModel.users.field.m2m_field_name() + "_id",
                                                          OpenAIModel.users.field.m2m_reverse_field_name() + "_id"):
        model_users[model_id].add(user_id)
    for pk in sorted(backup_models.keys() | current_models.keys()):
        row = backup_models.get(pk)
        label = "model %d %s" % (pk, _q(row.get("name") if row is not None else current_models[pk].name))
        if row is None:
            differ("model", pk, label + ": only in django")
            continue
        if pk not in current_models:
            differ("model", pk, label + ": only in backup")
            continue
        model = current_models[pk]
        for column in model_values.columns():
            try:
                want = model_values.convert(column, row.get(column))
            except Exception as e:
                differ("model", pk, "%s: %s: django cannot read the backup's %s (%s)" % (label, column, _show(row.get(column)), e))
                continue
            got = model_values.of(model, column)
            if want != got:
                differ("model", pk, "%s: %s: backup %s, django %s" % (label, column, _show(want), _show(got)))
        want = set(row.get("assigned_users", []))
        if want != model_users[pk]:
            differ("model", pk, "%s: users only in backup %s, only in django %s"
                   % (label, sorted(want - model_users[pk]), sorted(model_users[pk] - want)))

    out.append("compared %d backup users with %d django users: %d differ; %d groups differ; %d models differ"
               % (len(backup_users), len(current), len(differing_users), len(differing_groups), len(differing_models)))
    return {"backup_users": len(backup_users), "django_users": len(current), "backup_groups": len(backup_groups),
            "backup_models": len(backup_models), "differing_user_ids": sorted(differing_users),
            "differing_groups": json.dumps(sorted(differing_groups), ensure_ascii=True),
            "differing_model_ids": sorted(differing_models)}


def main(argv):
    if len(argv) != 2:
        sys.stderr.write("usage: compare_backup.py BACKUP.json[.gz]\n")
        return 2
    try:
        backup = load(argv[1])
    except (OSError, ValueError) as e:
        sys.stderr.write("cannot read %s: %s\n" % (argv[1], e))
        return 2
    lines = []
    facts = compare(backup, lines)
    for line in lines:
        print(line)
    for key, value in facts.items():
        fact(key, value)
    differing = facts["differing_user_ids"] or facts["differing_groups"] != "[]" or facts["differing_model_ids"]
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
