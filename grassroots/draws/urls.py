"""Staff pages of 双随机, under /draws/."""

from django.urls import path

from .views import staff

app_name = "draws"

urlpatterns = [
    path("", staff.plan_list, name="plans"),
    path("plans/<int:plan_id>/", staff.plan_detail, name="plan"),
    path("plans/<int:plan_id>/act/<str:action>/", staff.plan_act, name="act"),
]
