"""Issue 17: every Django field type at its extremes, built through the ORM and judged by dumpdata.

Variant ``fieldtypes`` (``fieldtypes.User``, every column of ``fieldtypes/base.py``) on any engine, and
``pgfieldtypes`` (the same plus PostgreSQL's arrays, hstore, citext and ranges) on PostgreSQL.

* ``build(extra)`` migrates nothing: it creates the users of ``USERS`` (values every engine holds), or with
  ``extra`` only the users of that extra set (values only some engines hold, for the refusal cases).
* ``dump()`` is Django's view: dumpdata of the user model, parsed, and every value as the ORM reads it at full
  precision (dumpdata keeps milliseconds of times and datetimes only), as text.
* ``check(expected, report)`` compares the database with a dump taken of the source. On SQLite from another
  engine, a decimal is expected as Django itself holds it there: the nearest double, read back with Django's
  SQLite converter (15 significant digits, quantized to the field's places); each value that changes so is
  counted in a fact ``approximated.<column>``, which the Java side compares with the import's note.
"""
import datetime
import decimal
import io
import json
import random
import uuid

from _django import USER_LABEL, User, fact

from django.core.management import call_command
from django.db import connection, models

UTC = datetime.timezone.utc
D = decimal.Decimal
BIG = 2 ** 63


def _essay():
    """About 1 MB of text (one- to four-byte UTF-8 characters, line breaks, a tab), the same on every run."""
    rng = random.Random(17)
    alphabet = "abcxyz ABC 019 \n\t żółć ß € 漢字 한국어 עברית العربية 🎉🧪 \u2028 \\ \" ' <>&"
    return "".join(rng.choice(alphabet) for _ in range(600_000))


DOCUMENT = {
    "beyond_64_bits": 2 ** 70,
    "negative_beyond": -(2 ** 100),
    "max_long": BIG - 1,
    "fraction": 0.1,
    "unicode": "żółć 🎉 漢字 \u2028 \\ \"quoted\"",
    "nested": [[[{"a": [1, {"b": None, "c": True, "d": False}]}]], {}, []],
    "empty": "",
}

# username -> field values; every engine holds all of them (SQLite's decimals approximately, which the check knows).
USERS = {
    "ft-max": dict(
        big=BIG - 1, small=32767, integer=2 ** 31 - 1, real=1.7976931348623157e308,
        wide=D("99999999999999900000"), widest=D("9" * 15 + "0" * 20),  # the largest Django reads back in SQLite
        span=datetime.timedelta(microseconds=BIG - 1), token=uuid.UUID("f" * 32), document=DOCUMENT,
        blob=bytes(range(256)), address="255.255.255.255", clock=datetime.time(23, 59, 59, 999999),
        day=datetime.date(9999, 12, 31), moment=datetime.datetime(9999, 12, 31, 23, 59, 59, 999999, UTC),
        flag=True, essay=_essay()),
    "ft-min": dict(
        big=-BIG, small=-32768, integer=-(2 ** 31), real=-1.7976931348623157e308,
        wide=D("-99999999999999900000"), widest=D("-" + "9" * 15 + "0" * 20),
        span=datetime.timedelta(microseconds=-(BIG - 1)), token=uuid.UUID(int=0), document="a top-level string",
        blob=b"", address="0.0.0.0", clock=datetime.time(0, 0), day=datetime.date(1, 1, 1),
        moment=datetime.datetime(1, 1, 1, 0, 0, 0, 0, UTC), flag=False, essay=""),
    "ft-fine": dict(
        big=0, small=0, integer=0, real=2.2250738585072014e-308,
        wide=D("12345678901234567890.1234567890"), widest=D("12345678901234567890123456789012345.123456789012345678901234567890"),
        span=datetime.timedelta(microseconds=-1), token=uuid.UUID("1b4e28ba-2fa1-11d2-883f-0016d3cca427"),
        document=models.Value("null"), blob=b"\x00", address="2001:db8:85a3::8a2e:370:7334",  # JSON's null
        clock=datetime.time(12, 34, 56, 1), day=datetime.date(2000, 2, 29),
        moment=datetime.datetime(2000, 2, 29, 12, 34, 56, 1, UTC), flag=None, essay="x"),
    "ft-small": dict(
        big=-1, small=-1, integer=-1, real=5e-324,
        wide=D("-0.0000000001"), widest=D("-0.000000000000000000000000000001"),
        span=datetime.timedelta(days=1, microseconds=-1), token=uuid.UUID("0" * 31 + "1"),
        document=[2 ** 64, -(2 ** 64), 1.5, "ü", None, [], {}], blob=b"\xff" * 3, address="::1",
        clock=datetime.time(0, 0, 0, 1), day=datetime.date(1970, 1, 1),
        moment=datetime.datetime(1970, 1, 1, 0, 0, 0, 1, UTC), flag=True, essay="🎉"),
    "ft-point-one": dict(
        big=1, small=1, integer=1, real=0.1, wide=D("0.1"), widest=D("1234567890123456789"), span=datetime.timedelta(0),
        token=uuid.UUID("12345678-1234-5678-1234-567812345678"), document=0, blob=b"\x00\xff",
        address="::ffff:192.0.2.1", clock=datetime.time(23, 59, 59), day=datetime.date(2024, 12, 31),
        moment=datetime.datetime(2024, 12, 31, 23, 59, 59, 999000, UTC), flag=False, essay="\u00e9" * 1000),
    "ft-nulls": dict(),
}

# Values only some engines hold: each a set of users, built only where the engine holds them.
EXTRAS = {
    "infinity": {  # SQLite and PostgreSQL; MySQL has no infinite double
        "ft-inf": dict(real=float("inf")),
        "ft-neg-inf": dict(real=float("-inf")),
    },
    "nan": {  # PostgreSQL only; SQLite stores NULL for NaN
        "ft-nan": dict(real=float("nan")),
    },
    "widest-decimals": {  # the servers; SQLite keeps the nearest double, which Django cannot read back here
        "ft-widest": dict(wide=D("99999999999999999999.9999999999"), widest=D("9" * 35 + "." + "9" * 30)),
        "ft-widest-negative": dict(wide=D("-99999999999999999999.9999999999"), widest=D("-" + "9" * 35 + "." + "9" * 30)),
    },
    "long-durations": {  # PostgreSQL only: intervals beyond 64-bit microseconds
        "ft-timedelta-max": dict(span=datetime.timedelta.max),
        "ft-timedelta-min": dict(span=datetime.timedelta.min),
    },
}


def _postgres_only_users():
    from psycopg2.extras import DateRange, DateTimeTZRange, NumericRange
    return {
        "ft-pg-max": dict(
            tags=["", "żółć 🎉", "a,b", "{x}", '"q"', "NULL"], matrix=[[BIG - 1, -BIG], [0, 1]],
            attributes={"k": "v", "empty": "", "none": None, "🎉": "ü", "a=>b": "c,d"},
            nickname="MiXeD Case", ages=NumericRange(-(2 ** 31), 2 ** 31 - 1),
            counts=NumericRange(-BIG, BIG - 1, "[)"),
            amounts=NumericRange(D("-12345678901234567890.1234567890"), D("0.000000000000000000000000000001"), "(]"),
            period=DateTimeTZRange(datetime.datetime(1, 1, 1, tzinfo=UTC),
                                   datetime.datetime(9999, 12, 31, 23, 59, 59, 999999, UTC)),
            days=DateRange(datetime.date(1, 1, 1), datetime.date(9999, 12, 31))),
        "ft-pg-empty": dict(
            tags=[], matrix=[], attributes={}, nickname="", ages=NumericRange(empty=True),
            counts=NumericRange(None, None), amounts=NumericRange(D("1.5"), None),
            period=DateTimeTZRange(None, datetime.datetime(2000, 1, 1, tzinfo=UTC)), days=DateRange(empty=True)),
    }


def build(extra=None):
    users = EXTRAS[extra] if extra else dict(USERS)
    if not extra and USER_LABEL == "pgfieldtypes.user":
        users.update(_postgres_only_users())
    for username, values in users.items():
        user = User(username=username, email=username + "@example.com", **values)
        user.set_unusable_password()
        user.save()
    fact("built_users", len(users))
    fact("engine", connection.vendor)


def _exact(field, value):
    """A value as the ORM reads it, as text at full precision."""
    if value is None:
        return None
    if isinstance(field, (models.JSONField,)) or type(field).__name__ in ("HStoreField", "ArrayField"):
        return "json:" + json.dumps(value, sort_keys=True, ensure_ascii=False)
    if isinstance(value, D):
        return "Decimal:" + str(value)
    if isinstance(value, float):
        return "float:" + repr(value)
    if isinstance(value, datetime.timedelta):
        return "timedelta:%d us" % (value // datetime.timedelta(microseconds=1))
    if isinstance(value, (bytes, memoryview)):
        return "bytes:" + bytes(value).hex()
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return "%s:%s" % (type(value).__name__, value.isoformat())
    if isinstance(value, (int, str, bool, uuid.UUID)):
        return "%s:%s" % (type(value).__name__, value)
    return "%s:%r" % (type(value).__name__, value)  # ranges


def dump():
    out = io.StringIO()
    call_command("dumpdata", USER_LABEL, natural_foreign=True, format="json", stdout=out)
    dumped = {obj["fields"]["username"]: obj for obj in json.loads(out.getvalue())}
    fields = [f for f in User._meta.concrete_fields]
    values = {}
    for user in User.objects.order_by("username"):
        values[user.username] = {f.name: _exact(f, getattr(user, f.attname)) for f in fields}
    fact("users", len(values))
    return {"engine": connection.vendor, "dumpdata": dumped, "values": values}


def _as_django_holds_it_in_sqlite(field, text):
    """A decimal from another engine as Django itself holds it in SQLite: the nearest double (SQLite's NUMERIC
    affinity), read back by Django's SQLite converter. None when Django cannot read it back there."""
    value = D(text)
    stored = decimal.Context(prec=15).create_decimal_from_float(float(value))
    try:
        return stored.quantize(D(1).scaleb(-field.decimal_places), context=field.context)
    except decimal.InvalidOperation:
        return None


def _canonical(value):
    """Equal values alike: NaN equals NaN, JSON objects in any key order (PostgreSQL's jsonb orders keys)."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _short(value):
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 160 else text[:150] + "...(%d chars)" % len(text)


def check(expected, report):
    actual = dump()
    approximate = connection.vendor == "sqlite" and expected["engine"] != "sqlite"
    approximated = {}
    decimals = {f.name: f for f in User._meta.concrete_fields if isinstance(f, models.DecimalField)}
    want_dump = expected["dumpdata"]
    for username in sorted(want_dump.keys() | actual["dumpdata"].keys()):
        if username not in actual["dumpdata"] or username not in want_dump:
            report.add("user %s: %s" % (username, "missing" if username in want_dump else "unexpected"))
            continue
        want, got = dict(want_dump[username]["fields"]), dict(actual["dumpdata"][username]["fields"])
        want_values, got_values = dict(expected["values"][username]), dict(actual["values"][username])
        if approximate:
            for name, field in decimals.items():
                if want[name] is None:
                    continue
                held = _as_django_holds_it_in_sqlite(field, want[name])
                if held is None:
                    report.add("user %s: %s: %s has no value Django can read back in SQLite; the import should"
                               " have refused it" % (username, name, want[name]))
                    continue
                if held != D(want[name]):
                    approximated[name] = approximated.get(name, 0) + 1
                want[name] = str(held)
                want_values[name] = "Decimal:" + str(held)
        if want_dump[username]["pk"] != actual["dumpdata"][username]["pk"]:
            report.add("user %s: pk: expected %s, got %s" % (username, want_dump[username]["pk"],
                                                              actual["dumpdata"][username]["pk"]))
        for what, w, g in (("dumpdata", want, got), ("value", want_values, got_values)):
            for name in sorted(w.keys() | g.keys()):
                if _canonical(w.get(name, "<absent>")) != _canonical(g.get(name, "<absent>")):
                    if name == "password":
                        report.add("%s user %s: password differs" % (what, username))
                    else:
                        report.add("%s user %s: %s: expected %s, got %s" % (what, username, name,
                                                                          _short(w.get(name)), _short(g.get(name))))
    for name in sorted(decimals):
        fact("approximated.%s" % name, approximated.get(name, 0))
    fact("checked_users", len(actual["values"]))
    fact("checked_values", sum(len(v) for v in actual["values"].values()))
    return report.emit()
