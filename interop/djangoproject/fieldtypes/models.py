from django.contrib.auth.models import AbstractUser

from .base import EveryFieldType


class User(EveryFieldType, AbstractUser):
    """Custom user model (table fieldtypes_user), installed when DJANGO_USER_VARIANT=fieldtypes (issue 17)."""
