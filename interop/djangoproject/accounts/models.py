from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    """Custom user model (table accounts_user), only installed when
    DJANGO_USER_VARIANT=custom. Adds columns of several SQLite types."""

    phone = models.CharField(max_length=20, blank=True)
    birth_date = models.DateField(null=True, blank=True)
    karma = models.IntegerField(default=0)
    balance = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    bio = models.TextField(blank=True)
    external_id = models.UUIDField(null=True, blank=True)
