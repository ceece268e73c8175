"""Staff pages of 双随机, under /draws/: plans, the item list and the inspector pool."""

from django.urls import path

from .views import inspectors, items, plan_edit, staff

app_name = "draws"

urlpatterns = [
    path("", staff.plan_list, name="plans"),
    path("plans/new/", plan_edit.plan_new, name="plan_new"),
    path("plans/<int:plan_id>/", staff.plan_detail, name="plan"),
    path("plans/<int:plan_id>/edit/", plan_edit.plan_edit, name="plan_edit"),
    path("plans/<int:plan_id>/act/<str:action>/", staff.plan_act, name="act"),
    path("items/", items.item_list, name="items"),
    path("items/new/", items.item_new, name="item_new"),
    path("items/<int:item_id>/", items.item_edit, name="item"),
    path("items/<int:item_id>/publish/", items.item_publish, {"published": True}, name="item_publish"),
    path("items/<int:item_id>/unpublish/", items.item_publish, {"published": False}, name="item_unpublish"),
    path("inspectors/", inspectors.inspector_list, name="inspectors"),
    path("inspectors/new/", inspectors.inspector_new, name="inspector_new"),
    path("inspectors/<int:inspector_id>/", inspectors.inspector_edit, name="inspector"),
    path(
        "inspectors/<int:inspector_id>/deactivate/",
        inspectors.inspector_active,
        {"active": False},
        name="inspector_deactivate",
    ),
    path(
        "inspectors/<int:inspector_id>/reactivate/",
        inspectors.inspector_active,
        {"active": True},
        name="inspector_reactivate",
    ),
    path("inspectors/<int:inspector_id>/relations/", inspectors.relation_add, name="relation_add"),
    path(
        "inspectors/<int:inspector_id>/relations/<int:relation_id>/delete/",
        inspectors.relation_delete,
        name="relation_delete",
    ),
]
