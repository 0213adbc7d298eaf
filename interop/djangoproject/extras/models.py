"""Tables tied to users the way projects have them (issue 11), installed with DJANGO_MORE_APPS=1."""
from django.conf import settings
from django.db import models


class Profile(models.Model):
    """A profile whose primary key is its user (table extras_profile, no id column), with a mentor."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True)
    bio = models.TextField(blank=True)
    birthday = models.DateField(null=True)
    mentor = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="mentees")


class Project(models.Model):
    """A model with a second many-to-many to users (extras_project_members), besides chat's."""

    name = models.CharField(max_length=100, unique=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="owned_projects")
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="projects")
