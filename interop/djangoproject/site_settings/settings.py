"""Settings for the interop Django project.

Environment variables:
  DJANGO_USER_VARIANT  "default" (auth.User, the default), "custom"
                       (accounts.User, an AbstractUser with extra columns),
                       "fieldtypes" (fieldtypes.User: every field type, issue 17)
                       or "pgfieldtypes" (PostgreSQL only: those and PostgreSQL's own).
  DJANGO_DB_PATH       path of the SQLite database file
                       (default: db.sqlite3 in the current directory).
  DJANGO_DB_URL        postgres://USER:PASSWORD@HOST:PORT/NAME: use PostgreSQL
                       (through psycopg2), or mysql://USER:PASSWORD@HOST:PORT/NAME
                       (also mariadb://): MySQL/MariaDB (through mysqlclient),
                       instead of SQLite; DJANGO_DB_PATH is then ignored.
                       Unset: SQLite, the default.
  DJANGO_EXTRA_APPS    comma-separated apps installed BEFORE all others, e.g.
                       "django.contrib.sites,django.contrib.flatpages,django.contrib.redirects";
                       this shifts content-type and permission ids.
"""
import os

USER_VARIANT = os.environ.get("DJANGO_USER_VARIANT", "default").strip().lower() or "default"
# variant: the apps it installs, the last one holding its User model (AUTH_USER_MODEL)
USER_APPS = {"default": None, "custom": ("accounts",), "fieldtypes": ("fieldtypes",),
             "pgfieldtypes": ("django.contrib.postgres", "pgfieldtypes")}
if USER_VARIANT not in USER_APPS:
    raise ValueError("DJANGO_USER_VARIANT must be one of %s, got %r" % (", ".join(USER_APPS), USER_VARIANT))

EXTRA_APPS = [
    app.strip()
    for app in os.environ.get("DJANGO_EXTRA_APPS", "").split(",")
    if app.strip()
]

# Not a secret: this project only exists to create test databases.
SECRET_KEY = "interop-test-only-not-a-secret"
DEBUG = False
ALLOWED_HOSTS = ["localhost", "127.0.0.1"]

INSTALLED_APPS = EXTRA_APPS + [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "chat",
]
if USER_APPS[USER_VARIANT]:
    INSTALLED_APPS.extend(USER_APPS[USER_VARIANT])
    AUTH_USER_MODEL = USER_APPS[USER_VARIANT][-1] + ".User"

# Issue 11: third-party apps with tables tied to users (Debian's python3-djangorestframework,
# python3-django-allauth, python3-django-otp, python3-django-guardian) and the extras app.
MORE_APPS = os.environ.get("DJANGO_MORE_APPS", "").strip() == "1"
if MORE_APPS:
    for app in [
        "django.contrib.sites",
        "rest_framework",
        "rest_framework.authtoken",
        "allauth",
        "allauth.account",
        "django_otp",
        "django_otp.plugins.otp_totp",
        "guardian",
        "extras",
    ]:
        if app not in INSTALLED_APPS:
            INSTALLED_APPS.append(app)
    AUTHENTICATION_BACKENDS = [
        "django.contrib.auth.backends.ModelBackend",
        "guardian.backends.ObjectPermissionBackend",
    ]
    # guardian would otherwise create an AnonymousUser row after every migrate.
    ANONYMOUS_USER_NAME = None

if "django.contrib.sites" in INSTALLED_APPS:
    SITE_ID = 1

MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]

ROOT_URLCONF = "site_settings.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DB_URL = os.environ.get("DJANGO_DB_URL", "").strip()
if DB_URL:
    from urllib.parse import unquote, urlsplit

    _url = urlsplit(DB_URL)
    if _url.scheme in ("postgres", "postgresql"):
        _engine, _port = "django.db.backends.postgresql", 5432
    elif _url.scheme in ("mysql", "mariadb"):
        _engine, _port = "django.db.backends.mysql", 3306
    else:
        raise ValueError("DJANGO_DB_URL must be postgres:// or mysql://USER:PASSWORD@HOST:PORT/NAME, got scheme %r"
                         % _url.scheme)
    DATABASES = {
        "default": {
            "ENGINE": _engine,
            "NAME": unquote(_url.path.lstrip("/")),
            "USER": unquote(_url.username or ""),
            "PASSWORD": unquote(_url.password or ""),
            "HOST": _url.hostname or "localhost",
            "PORT": str(_url.port or _port),
        }
    }
    if _engine == "django.db.backends.mysql":
        # utf8mb4 for four-byte characters (emoji); a host of "localhost" would make mysqlclient use the socket.
        DATABASES["default"]["OPTIONS"] = {"charset": "utf8mb4"}
        if DATABASES["default"]["HOST"] == "localhost":
            DATABASES["default"]["HOST"] = "127.0.0.1"
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("DJANGO_DB_PATH") or os.path.join(os.getcwd(), "db.sqlite3"),
        }
    }

# Django's default hasher list (PBKDF2 first), spelled out so the stored
# hashes are "pbkdf2_sha256$..." regardless of Django defaults.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_L10N = True
USE_TZ = True

STATIC_URL = "/static/"
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
