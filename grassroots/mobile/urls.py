from django.urls import path

from .views import app, work

app_name = "mobile"
urlpatterns = [
    path("", work.home, name="home"),
    path("report/", work.report, name="report"),
    path("queue/", work.queue, name="queue"),
    path("tasks/", work.tasks, name="tasks"),
    path("tasks/<int:event_id>/", work.task, name="task"),
    path("visits/", work.visits, name="visits"),
    path("visits/new/", work.visit_new, name="visit_new"),
    path("visits/<int:visit_id>/link/", work.visit_link, name="visit_link"),
    path("sw.js", app.service_worker, name="service_worker"),
]
