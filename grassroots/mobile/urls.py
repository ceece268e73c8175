from django.urls import path

from .views import app, gridmap, inbox, reports, team, work

app_name = "mobile"
urlpatterns = [
    path("", work.home, name="home"),
    path("report/", work.report, name="report"),
    path("queue/", work.queue, name="queue"),
    path("tasks/", work.tasks, name="tasks"),
    path("tasks/<int:event_id>/", work.task, name="task"),
    path("reports/", reports.my_reports, name="my_reports"),
    path("reports/<int:event_id>/", reports.report_detail, name="report_detail"),
    path("team/", team.team, name="team"),
    path("inbox/", inbox.inbox, name="inbox"),
    path("inbox/read/", inbox.inbox_read, name="inbox_read"),
    path("map/", gridmap.grid_map, name="map"),
    path("visits/", work.visits, name="visits"),
    path("visits/new/", work.visit_new, name="visit_new"),
    path("visits/<int:visit_id>/link/", work.visit_link, name="visit_link"),
    path("sw.js", app.service_worker, name="service_worker"),
]
