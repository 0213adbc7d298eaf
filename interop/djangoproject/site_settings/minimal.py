"""Settings for the empty Django schemas that backup-core lays down itself (issue 12).

Only django.contrib.auth and django.contrib.contenttypes, in startproject's order, so that the content-type and
permission ids are those of a project with just these apps; with DJANGO_MINIMAL_CHAT=1 also the `chat` app (the
OpenAI model table). Everything else (database, hashers, time zone) is as in settings.py.
"""
import os

from .settings import *  # noqa: F401,F403
from .settings import EXTRA_APPS

INSTALLED_APPS = EXTRA_APPS + [
    "django.contrib.auth",
    "django.contrib.contenttypes",
]
if os.environ.get("DJANGO_MINIMAL_CHAT", "").strip() == "1":
    INSTALLED_APPS.append("chat")
AUTH_USER_MODEL = "auth.User"
MIDDLEWARE = []
TEMPLATES = []
ROOT_URLCONF = "site_settings.urls_minimal"
