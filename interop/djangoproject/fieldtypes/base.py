"""The columns of issue 17: every value type of django.db.models, each nullable so one user can hold one extreme.

An abstract model outside models.py, so that pgfieldtypes can extend it without installing fieldtypes (two
AbstractUser subclasses installed together clash on their reverse accessors).
"""
from django.db import models


class EveryFieldType(models.Model):
    big = models.BigIntegerField(null=True)
    small = models.SmallIntegerField(null=True)
    integer = models.IntegerField(null=True)
    real = models.FloatField(null=True)
    wide = models.DecimalField(max_digits=30, decimal_places=10, null=True)
    widest = models.DecimalField(max_digits=65, decimal_places=30, null=True)  # MySQL's largest DECIMAL
    span = models.DurationField(null=True)
    token = models.UUIDField(null=True)
    document = models.JSONField(default=dict)  # not null: None is JSON's null, not SQL's
    blob = models.BinaryField(null=True)
    address = models.GenericIPAddressField(null=True)
    clock = models.TimeField(null=True)
    day = models.DateField(null=True)
    moment = models.DateTimeField(null=True)
    flag = models.BooleanField(null=True)
    essay = models.TextField(blank=True)

    class Meta:
        abstract = True
