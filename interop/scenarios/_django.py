"""Sets up the interop Django project for the scenario scripts.

Import this module before anything from Django. It reads the same environment
variables as the project's settings (see interop/README.md):

    DJANGO_DB_PATH       the SQLite database (this or DJANGO_DB_URL is required here: the
                         scripts must never fall back to a db.sqlite3 in whatever
                         directory they run in)
    DJANGO_DB_URL        postgres://USER:PASSWORD@HOST:PORT/NAME: a PostgreSQL database
                         instead (through psycopg2)
    DJANGO_USER_VARIANT  default | custom
    DJANGO_EXTRA_APPS    apps installed before all others
"""
import os
import sys

sys.dont_write_bytecode = True
# Differences and "fact" lines interleave in the order they were printed.
sys.stdout.reconfigure(line_buffering=True)

HERE = os.path.dirname(os.path.abspath(__file__))
PROJECT = os.path.join(os.path.dirname(HERE), "djangoproject")

if not os.environ.get("DJANGO_DB_PATH") and not os.environ.get("DJANGO_DB_URL"):
    sys.stderr.write("set DJANGO_DB_PATH to the SQLite database the scenario works on"
                     " (or DJANGO_DB_URL to a PostgreSQL one)\n")
    sys.exit(2)

sys.path.insert(0, PROJECT)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_settings.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402

VARIANT = settings.USER_VARIANT
User = get_user_model()
USER_LABEL = User._meta.label_lower  # "auth.user" or "accounts.user"
USER_TABLE = User._meta.db_table


def fact(key, value):
    """A machine-readable line for the Java side: ``fact key=value``."""
    if isinstance(value, (list, tuple, set)):
        value = ",".join(str(v) for v in value)
    print("fact %s=%s" % (key, value), flush=True)
