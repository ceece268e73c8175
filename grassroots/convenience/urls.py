"""The platform's staff pages, under /service/."""

from django.urls import include, path

from .views import application, applying, catalogue, complaint, desk, figures

app_name = "convenience"

urlpatterns = [
    path("", desk.desk, name="desk"),
    path("apply/", applying.apply, name="apply"),
    path("forward/", applying.forward, name="forward"),
    path("applications/<int:application_id>/", application.application, name="application"),
    path("applications/<int:application_id>/act/<str:action>/", application.act, name="act"),
    path("applications/<int:application_id>/rate/", application.rate_device, name="rate_device"),
    path(
        "rectifications/<int:rectification_id>/act/<str:action>/",
        application.act_rectification,
        name="act_rectification",
    ),
    path("applications/<int:application_id>/complain/", complaint.complain, name="complain"),
    path("notices/<int:notice_id>/", application.notice, name="notice"),
    path("catalogue/", include(catalogue.urlpatterns)),
    path("figures/", include(figures.urlpatterns)),
]
