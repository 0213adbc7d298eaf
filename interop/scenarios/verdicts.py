"""Django's verdict on a database after an import, against snapshots taken before.

Every check adds readable lines to a Report; a check passes when the report is
empty. Lines name the object (``auth.user 17 "alice"``) and what differs.
"""
import json

from _django import USER_LABEL, USER_TABLE, User, fact

import views

from django.contrib.auth import authenticate
from django.contrib.auth.hashers import check_password
from django.contrib.auth.models import Group, Permission
from django.db import transaction

from chat.models import OpenAIModel

MODEL_LABEL = "chat.openaimodel"


class Report:
    LIMIT = 60

    def __init__(self):
        self.lines = []
        self.count = 0

    def add(self, line):
        self.count += 1
        if len(self.lines) < self.LIMIT:
            self.lines.append(line)

    def emit(self):
        for line in self.lines:
            print(line)
        if self.count > len(self.lines):
            print("... and %d more differences" % (self.count - len(self.lines)))
        fact("differences", self.count)
        return 0 if self.count == 0 else 1


def _q(value):
    return json.dumps(value, ensure_ascii=False)


def index(objects, users_by_username=False, user_pk=True, group_pk=True):
    """{(model, key): fields} with the key the object's identity for this comparison.

    Groups are identified by name, their natural key (and how the tool matches
    them), with the pk a compared field when group_pk: a group restored under
    another id then reads as one line ("pk: expected 1, got 14") instead of a
    cascade of name and permission mismatches. Users are identified by pk, or by
    username (their natural key) when matching across databases, with the pk a
    compared field when user_pk. Other objects by pk.
    """
    result = {}
    for obj in objects:
        fields = dict(obj["fields"])
        model = obj["model"]
        key = obj["pk"]
        if model == "auth.group":
            key = fields["name"]
            if group_pk:
                fields["pk"] = obj["pk"]
        elif model == USER_LABEL and users_by_username:
            key = fields["username"]
            if user_pk:
                fields["pk"] = obj["pk"]
        result[(model, key)] = fields
    return result


def _label(model, key, fields):
    name = fields.get("username") if model == USER_LABEL else fields.get("name")
    if name is not None and name != key:
        return "%s %s %s" % (model, _q(key), _q(name))
    return "%s %s" % (model, _q(key))


def compare_objects(expected, actual, report, what="dumpdata"):
    for key in sorted(expected.keys() | actual.keys(), key=lambda k: (k[0], str(k[1]))):
        model = key[0]
        if key not in actual:
            report.add("%s %s: missing" % (what, _label(model, key[1], expected[key])))
            continue
        if key not in expected:
            report.add("%s %s: unexpected" % (what, _label(model, key[1], actual[key])))
            continue
        want, got = expected[key], actual[key]
        for field in sorted(want.keys() | got.keys()):
            if want.get(field, "<absent>") != got.get(field, "<absent>"):
                report.add("%s %s: %s: expected %s, got %s" % (what, _label(model, key[1], want), field,
                                                               _short(want.get(field)), _short(got.get(field))))


def _short(value):
    text = _q(value)
    return text if len(text) <= 160 else text[:150] + "...(%d chars)" % len(text)


def compare_raw(expected_rows, actual_rows, table, report, only_ids=None):
    ids = expected_rows.keys() | actual_rows.keys() if only_ids is None else only_ids
    for row_id in sorted(ids, key=int):
        want, got = expected_rows.get(row_id), actual_rows.get(row_id)
        if want is None or got is None:
            report.add("raw %s id %s: %s" % (table, row_id, "missing" if got is None else "unexpected"))
            continue
        for column in want:
            if want[column] != got.get(column):
                report.add("raw %s id %s: %s: expected %s %s, got %s" % (
                    table, row_id, column, want[column][0], _short(want[column][1]),
                    "%s %s" % (got[column][0], _short(got[column][1])) if column in got else "no such column"))


def _permission_names(snap):
    """Every permission of the database as get_all_permissions() names it: "app_label.codename"."""
    return {key[len("perm."):] for key in snap["ids"] if key.startswith("perm.")}


def compare_effective(expected_snap, actual_snap, report, usernames):
    """Compares the sampled users both sides hold (a missing user is reported by the dump).

    Only permissions that exist in both databases are compared: a superuser has
    every permission of its database, so with other apps installed on one side
    (scenario 3) its set differs by exactly those apps' permissions."""
    expected, actual = expected_snap["effective_permissions"], actual_snap["effective_permissions"]
    both = _permission_names(expected_snap) & _permission_names(actual_snap)
    compared = sorted(set(usernames) & expected.keys() & actual.keys())
    fact("checked_effective_permissions", len(compared))
    for username in compared:
        want, got = set(expected[username]) & both, set(actual[username]) & both
        if want != got:
            report.add("permissions of %s (user.get_all_permissions()): missing %s, extra %s"
                       % (_q(username), sorted(want - got), sorted(got - want)))


class PasswordChecker:
    """check_password(plaintext, hash) is a pure function of its two arguments, so the
    result is cached per pair: thousands of users sharing a few hashes cost a few
    hash computations, and still every user's own stored hash is checked."""

    def __init__(self, report):
        self.report = report
        self.cache = {}
        self.checked = 0
        self.logins = 0

    def verifies(self, plaintext, encoded):
        key = (plaintext, encoded)
        if key not in self.cache:
            self.cache[key] = check_password(plaintext, encoded)
        return self.cache[key]

    def check(self, password_file, users_by_name, only=None):
        """Every listed user's password verifies; None means it must be unusable.

        Users in the login list are left to login(), which checks their password the
        way a login does (each one is a PBKDF2 computation at full iterations)."""
        logins = set(password_file["login"])
        for username, plaintext in password_file["passwords"].items():
            if (only is not None and username not in only) or username in logins:
                continue
            user = users_by_name.get(username)
            if user is None:
                self.report.add("password of %s: user is missing" % _q(username))
                continue
            self.checked += 1
            if plaintext is None:
                if user.has_usable_password():
                    self.report.add("password of %s: was unusable, is usable now" % _q(username))
            elif not self.verifies(plaintext, user.password):
                self.report.add("password of %s: the old password no longer verifies" % _q(username))

    def check_not(self, overridden, users_by_name):
        """Passwords the import must have replaced (the backup's users win)."""
        for username, plaintext in overridden.items():
            user = users_by_name.get(username)
            if user is not None and plaintext and self.verifies(plaintext, user.password):
                self.report.add("password of %s: the target's old password still verifies" % _q(username))

    def login(self, password_file, users_by_name, only=None):
        """Real logins through Django's authentication backend, without the cache.

        A successful login may rehash the password with the preferred hasher and save
        it (frank's PBKDF2-SHA1 hash becomes PBKDF2-SHA256), so the logins run in a
        transaction that is rolled back: a check leaves the database as it found it."""
        with transaction.atomic():
            self._login(password_file, users_by_name, only)
            transaction.set_rollback(True)

    def _login(self, password_file, users_by_name, only):
        for username in password_file["login"]:
            if only is not None and username not in only:
                continue
            user = users_by_name.get(username)
            plaintext = password_file["passwords"][username]
            if user is None:
                self.report.add("login of %s: user is missing" % _q(username))
                continue
            self.logins += 1
            self.checked += 1
            # ModelBackend refuses inactive users even with the right password, so their
            # password is checked on its own and their login must fail.
            logged_in = authenticate(username=username, password=plaintext)
            if user.is_active and logged_in is None:
                self.report.add("login of %s: authenticate() refused an active user" % _q(username))
            if not user.is_active:
                if logged_in is not None:
                    self.report.add("login of %s: authenticate() let an inactive user in" % _q(username))
                if not user.check_password(plaintext):
                    self.report.add("login of %s: user.check_password() is false" % _q(username))


def _users_by_name():
    return {u.username: u for u in User.objects.all()}


def check_flags(expected_snapshot, report, usernames=None):
    """Inactive users stay inactive, unusable passwords stay unusable (Django's API, not the dump)."""
    users = _users_by_name()
    for username in expected_snapshot["inactive"]:
        if usernames is None or username in usernames:
            user = users.get(username)
            if user is not None and user.is_active:
                report.add("%s: was inactive, is active now" % _q(username))
    for username in expected_snapshot["unusable"]:
        if usernames is None or username in usernames:
            user = users.get(username)
            if user is not None and user.has_usable_password():
                report.add("%s: password was unusable, is usable now" % _q(username))


def check_restore(expected, password_file):
    """After importing into a fresh database (or replacing): Django sees exactly the backup's source."""
    report = Report()
    actual = views.snapshot()
    compare_objects(index(expected["dump"]), index(actual["dump"]), report)
    if expected["raw"] and actual["raw"]:
        # Both SQLite: the storage classes too.
        for table in expected["raw"]:
            compare_raw(expected["raw"][table], actual["raw"].get(table, {}), table, report)
    for table in expected["values"]:
        compare_raw(expected["values"][table], actual["values"].get(table, {}), "values " + table, report)
    compare_effective(expected, actual, report, expected["effective_permissions"].keys())
    check_flags(expected, report)
    checker = PasswordChecker(report)
    users = _users_by_name()
    if password_file is not None:
        checker.check(password_file, users)
        checker.login(password_file, users)
    fact("checked_users", len(users))
    fact("checked_passwords", checker.checked)
    fact("checked_logins", checker.logins)
    return report.emit()


def check_merge(source, target, source_passwords, target_passwords, allow_pk_change=False):
    """After a merge: the backup's users win, the target's own users stay.

    Expected state: the target's objects, overwritten by the source's where they
    are the same object (users by username, groups by name, model rows by id).
    Users are matched by username, Django's natural key for them; unless
    allow_pk_change, their ids must match too.
    """
    report = Report()
    actual = views.snapshot()
    # A group the target already had keeps its id in a merge: its pk is not compared.
    options = dict(users_by_username=True, user_pk=not allow_pk_change, group_pk=False)
    src = index(source["dump"], **options)
    tgt = index(target["dump"], **options)
    expected = dict(tgt)
    expected.update(src)
    compare_objects(expected, index(actual["dump"], **options), report)

    source_names = {k[1] for k in src if k[0] == USER_LABEL}
    own_names = {k[1] for k in tgt if k[0] == USER_LABEL} - source_names
    if not allow_pk_change:
        # SQLite's storage classes when every side is SQLite, else the ORM's full-precision values.
        kind = "raw" if source["raw"] and target["raw"] and actual["raw"] else "values"
        source_ids = {str(o["pk"]) for o in source["dump"] if o["model"] == USER_LABEL}
        own_ids = {str(o["pk"]) for o in target["dump"] if o["model"] == USER_LABEL
                   and o["fields"]["username"] in own_names}
        raw_expected = dict(target[kind][USER_TABLE])
        raw_expected.update(source[kind][USER_TABLE])
        compare_raw(raw_expected, actual[kind][USER_TABLE], kind + " " + USER_TABLE, report, source_ids | own_ids)
        model_table = OpenAIModel._meta.db_table
        raw_models = dict(target[kind][model_table])
        raw_models.update(source[kind][model_table])
        compare_raw(raw_models, actual[kind][model_table], kind + " " + model_table, report)
    compare_effective(source, actual, report, source_names)
    check_flags(source, report, source_names)
    check_flags(target, report, own_names)

    users = _users_by_name()
    checker = PasswordChecker(report)
    checker.check(source_passwords, users)
    checker.login(source_passwords, users)
    checker.check(target_passwords, users, only=own_names)
    checker.login(target_passwords, users, only=own_names)
    checker.check_not(target_passwords.get("overridden", {}), users)
    fact("checked_users", len(users))
    fact("source_users", len(source_names))
    fact("target_own_users", len(own_names))
    fact("overlapping_users", len({k[1] for k in tgt if k[0] == USER_LABEL} & source_names))
    fact("checked_passwords", checker.checked)
    fact("checked_logins", checker.logins)
    return report.emit()


def create_after_restore(expected):
    """Django creates new rows after the import without an id collision (scenario 2)."""
    report = Report()
    user_ids = {o["pk"] for o in expected["dump"] if o["model"] == USER_LABEL}
    count_before = User.objects.count()
    with transaction.atomic():
        user = User.objects.create_user("created.after.restore", "after@example.com", "after-restore-password")
        group = Group.objects.create(name="created after restore")
        group.permissions.add(Permission.objects.order_by("pk").first())
        user.groups.add(group)
        user.user_permissions.add(Permission.objects.order_by("-pk").first())
        model = OpenAIModel.objects.create(name="created-after-restore", max_tokens=1, temperature="0.50")
        model.users.add(user, User.objects.order_by("pk").first())
    if user.pk in user_ids:
        report.add("new user got id %d, which a restored user has" % user.pk)
    if user_ids and user.pk <= max(user_ids):
        report.add("new user got id %d, not above the highest restored id %d" % (user.pk, max(user_ids)))
    if User.objects.count() != count_before + 1:
        report.add("user count went from %d to %d after creating one user" % (count_before, User.objects.count()))
    if authenticate(username="created.after.restore", password="after-restore-password") is None:
        report.add("the new user cannot log in")
    fact("new_user_id", user.pk)
    fact("max_restored_user_id", max(user_ids, default=0))
    fact("new_group_id", group.pk)
    fact("new_model_id", model.pk)
    return report.emit()
