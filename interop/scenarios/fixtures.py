"""Django's own fixture format (issue 13): dumps made by real dumpdata, and Django's verdict on an import of one.

* ``dump(out, natural_foreign, natural_primary, log_entry)``: ``manage.py dumpdata auth contenttypes chat`` in
  one of the forms people have (with ``--natural-foreign``, also ``--natural-primary``, or neither); with
  ``log_entry``, an admin log entry is made first and ``admin`` dumped too (a model the tool must refuse).
* ``check_import(expected, password_file)``: the target's ``dumpdata --natural-foreign --natural-primary`` of the
  users, groups and OpenAI models equals ``expected`` (the same dump of the source), objects matched by natural
  key (users by username, groups by name, OpenAI models by id); every listed password verifies.
"""
import io
import json

from _django import USER_LABEL, User, fact

from django.core.management import call_command

import verdicts
import views


def dump(out, natural_foreign, natural_primary, log_entry=False):
    labels = ["auth", "contenttypes", "chat"]
    if USER_LABEL != "auth.user":
        labels.insert(0, USER_LABEL)
    if log_entry:
        from django.contrib.admin.models import LogEntry, ADDITION
        from django.contrib.contenttypes.models import ContentType
        user = User.objects.order_by("pk").first()
        LogEntry.objects.create(user=user, content_type=ContentType.objects.get_for_model(User),
                                object_id=str(user.pk), object_repr=user.username, action_flag=ADDITION)
        labels.append("admin")
    with open(out, "w", encoding="utf-8") as f:
        call_command("dumpdata", *labels, natural_foreign=natural_foreign, natural_primary=natural_primary,
                     format="json", indent=1, stdout=f)
    with open(out, encoding="utf-8") as f:
        objects = json.load(f)
    fact("objects", len(objects))
    fact("models", ",".join(sorted({o["model"] for o in objects})))


def natural_dump():
    """The users, groups and OpenAI models by natural key, many-to-many lists sorted."""
    out = io.StringIO()
    call_command("dumpdata", *views.DUMP_LABELS, natural_foreign=True, natural_primary=True, format="json", stdout=out)
    objects = json.loads(out.getvalue())
    for obj in objects:
        for name, value in obj["fields"].items():
            if isinstance(value, list):
                value.sort()
    return objects


def _key(obj):
    fields = obj["fields"]
    if obj["model"] == USER_LABEL:
        return (obj["model"], fields["username"])
    if obj["model"] == "auth.group":
        return (obj["model"], fields["name"])
    return (obj["model"], obj.get("pk"))


def check_import(expected, password_file):
    report = verdicts.Report()
    want = {_key(o): o["fields"] for o in expected}
    got = {_key(o): o["fields"] for o in natural_dump()}
    verdicts.compare_objects(want, got, report, what="dumpdata --natural-foreign --natural-primary")
    checker = verdicts.PasswordChecker(report)
    users = {u.username: u for u in User.objects.all()}
    checker.check(password_file, users)
    fact("checked_objects", len(want))
    fact("checked_passwords", checker.checked)
    return report.emit()
