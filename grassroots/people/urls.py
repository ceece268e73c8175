"""A person's own account pages, mounted at /account/."""

from django.urls import path

from . import views

app_name = "people"
urlpatterns = [
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
]
