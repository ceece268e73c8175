"""The platform's JSON API (django-ninja routers)."""
