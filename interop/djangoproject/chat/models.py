from django.conf import settings
from django.db import models


class OpenAIModel(models.Model):
    """An OpenAI model that can be enabled for some users (table chat_openaimodel)."""

    name = models.CharField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    max_tokens = models.IntegerField()
    temperature = models.DecimalField(max_digits=4, decimal_places=2)
    is_enabled = models.BooleanField(default=True)
    created = models.DateTimeField(auto_now_add=True)
    users = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="openai_models"
    )

    def __str__(self):
        return self.name
