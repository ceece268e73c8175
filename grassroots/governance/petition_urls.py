"""The petition pages under /governance/petitions/ (included by `urls.py`)."""

from .views.petitions import urlpatterns

__all__ = ["urlpatterns"]
