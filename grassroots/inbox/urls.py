"""The inbox page, mounted at /command/inbox/ beside the other command-room pages."""

from django.urls import path

from . import views

app_name = "inbox"
urlpatterns = [
    path("", views.inbox, name="list"),
    path("read/", views.inbox_read, name="read"),
]
