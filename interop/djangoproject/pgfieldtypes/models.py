from django.contrib.auth.models import AbstractUser
from django.contrib.postgres import fields as pg
from django.db import models

from fieldtypes.base import EveryFieldType


class User(EveryFieldType, AbstractUser):
    """Custom user model (table pgfieldtypes_user), installed when DJANGO_USER_VARIANT=pgfieldtypes, PostgreSQL
    only (issue 17): every field of fieldtypes plus PostgreSQL's own types."""

    tags = pg.ArrayField(models.CharField(max_length=40), null=True)
    matrix = pg.ArrayField(pg.ArrayField(models.BigIntegerField()), null=True)
    attributes = pg.HStoreField(null=True)
    nickname = pg.CICharField(max_length=150, null=True)
    ages = pg.IntegerRangeField(null=True)
    counts = pg.BigIntegerRangeField(null=True)
    amounts = pg.DecimalRangeField(null=True)
    period = pg.DateTimeRangeField(null=True)
    days = pg.DateRangeField(null=True)
