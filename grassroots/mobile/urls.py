from django.urls import path

from . import views

app_name = "mobile"
urlpatterns = [
    path("", views.home, name="home"),
    path("report/", views.report, name="report"),
    path("queue/", views.queue, name="queue"),
    path("tasks/", views.tasks, name="tasks"),
    path("tasks/<int:event_id>/", views.task, name="task"),
    path("visits/", views.visits, name="visits"),
    path("visits/new/", views.visit_new, name="visit_new"),
    path("visits/<int:visit_id>/link/", views.visit_link, name="visit_link"),
    path("sw.js", views.service_worker, name="service_worker"),
]
