from django.apps import AppConfig


class FieldtypesConfig(AppConfig):
    default_auto_field = "django.db.models.AutoField"
    name = "fieldtypes"
