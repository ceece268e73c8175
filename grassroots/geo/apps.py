from django.apps import AppConfig


class GeoConfig(AppConfig):
    name = "grassroots.geo"
    label = "geo"
    verbose_name = "地理"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from .index import grid_changed
        from .models import Grid

        # Only to keep the in-memory grid index fresh; nothing that must happen in the transaction hangs here.
        post_save.connect(grid_changed, sender=Grid, dispatch_uid="geo.grid_index.save")
        post_delete.connect(grid_changed, sender=Grid, dispatch_uid="geo.grid_index.delete")
