from django.apps import AppConfig


class ExtrasConfig(AppConfig):
    default_auto_field = "django.db.models.AutoField"
    name = "extras"
