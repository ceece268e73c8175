"""Public pages of 双随机 (一公开), under /s/draws/: no login."""

from django.urls import path

from .views import public

app_name = "public_draws"

urlpatterns = [
    path("", public.plans, name="plans"),
    path("items/", public.items, name="items"),
    path("inspectors/", public.inspectors, name="inspectors"),
    path("plans/<int:plan_id>/", public.plan, name="plan"),
    path("draws/<int:draw_id>/", public.draw, name="draw"),
    path("draws/<int:draw_id>/data.json", public.draw_data, name="draw_data"),
]
