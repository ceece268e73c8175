from django.urls import include, path

from . import views

urlpatterns = [path("api/v1/events", views.report), path("", include("config.urls"))]
