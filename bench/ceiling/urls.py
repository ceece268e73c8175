from django.urls import include, path

from . import views

report = {"statements": views.report_statements, "one": views.report_one}
if views.chosen() == "ninja":
    urlpatterns = [path("api/v1/", views.api.urls)]
else:
    urlpatterns = [path("api/v1/events", report[views.chosen()])]
urlpatterns.append(path("", include("config.urls")))
