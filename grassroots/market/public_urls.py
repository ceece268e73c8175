"""The public credit pages (企业信用信息公示), under /s/credit/: no login, only what the law publishes."""

from django.urls import path

from .views import credit

app_name = "public_credit"

urlpatterns = [
    path("", credit.public_search, name="search"),
    path("<str:uscc>/", credit.public_entity, name="entity"),
]
