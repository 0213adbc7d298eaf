"""No URLs: the minimal settings install neither the admin nor any view."""
urlpatterns = []
