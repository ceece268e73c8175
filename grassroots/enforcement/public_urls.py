"""The platform's public pages, under /s/powers/: no login, only what is published."""

from django.urls import path

from .views import powers_public

app_name = "public_enforcement"

urlpatterns = [
    path("", powers_public.power_list, name="powers"),
    path("<str:code>/", powers_public.power_detail, name="power"),
]
