from django.contrib import admin

from .models import OpenAIModel

admin.site.register(OpenAIModel)
