from django.apps import AppConfig


class PgfieldtypesConfig(AppConfig):
    default_auto_field = "django.db.models.AutoField"
    name = "pgfieldtypes"
