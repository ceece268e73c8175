"""The inbox (待办与通知): the command room's page of a person's notifications, and the same through the API."""
