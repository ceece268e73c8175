"""Reads of a person's inbox, shared by the command room's page and the phone's."""

from typing import Any

from django.db.models import QuerySet

from .models import Notification


def inbox_of(person: Any, *, only_unread: bool = False) -> QuerySet[Notification]:
    """The person's notifications, newest first (only the unread ones when asked)."""
    rows = Notification.objects.filter(recipient=person).order_by("-created_at", "-id")
    return rows.filter(read_at__isnull=True) if only_unread else rows
