from django.urls import path

from . import views

app_name = "assessment"
urlpatterns = [
    path("", views.index, name="index"),
    path("indicator/<str:code>/", views.indicator, name="indicator"),
    path("count/<str:name>/", views.count, name="count"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/hotspots.json", views.hotspots, name="hotspots"),
    path("schemes/", views.scheme_list, name="schemes"),
    path("schemes/<int:scheme_id>/", views.scheme_results, name="scheme"),
    path("schemes/<int:scheme_id>/publish/", views.scheme_publish, name="scheme_publish"),
    path("schemes/<int:scheme_id>/rerun/", views.scheme_rerun, name="scheme_rerun"),
    path("ratings/", views.rating_list, name="rating_list"),
    path("ratings/<int:part_id>/", views.ratings, name="ratings"),
    path("reports/", views.report_list, name="reports"),
    path("reports/new/", views.report_create, name="report_create"),
    path("reports/<int:job_id>/", views.report_detail, name="report"),
    path("reports/<int:job_id>/download/", views.report_download, name="report_download"),
]
