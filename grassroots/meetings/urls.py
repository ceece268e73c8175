"""The meetings' staff pages, under /meetings/."""

from django.urls import path

from .views import groups, meetings, notices, tasks

app_name = "meetings"

urlpatterns = [
    path("", meetings.meeting_list, name="list"),
    path("new/", meetings.meeting_new, name="new"),
    path("<int:meeting_id>/", meetings.meeting_page, name="meeting"),
    path("<int:meeting_id>/act/<str:action>/", meetings.act, name="act"),
    path("<int:meeting_id>/documents/<int:document_id>/", meetings.document, name="document"),
    path("tasks/", tasks.my_tasks, name="tasks"),
    path("tasks/<int:task_id>/", tasks.task_page, name="task"),
    path("tasks/<int:task_id>/act/<str:action>/", tasks.task_act, name="task_act"),
    path("groups/", groups.groups, name="groups"),
    path("notices/", notices.notice_list, name="notices"),
    path("notices/new/", notices.notice_new, name="notice_new"),
    path("notices/<int:notice_id>/", notices.notice_page, name="notice"),
]
