"""Open311's URL lists: the GeoReport v2 endpoints (mounted at /open311/, namespace `open311`), the public report
page (mounted at /report/, namespace `report`) and the administrator's key page (mounted at
/integrations/open311-keys/, namespace `open311_keys`); config/urls.py includes each under its own prefix."""

from django.urls import path, re_path

from .views import georeport, keys, pages

app_name = "open311"
FMT = r"\.(?P<fmt>[A-Za-z0-9]+)$"
urlpatterns = [
    re_path(r"^v2/discovery" + FMT, georeport.discovery, name="discovery"),
    re_path(r"^v2/services" + FMT, georeport.services_list, name="services"),
    re_path(r"^v2/services/(?P<service_code>[^/.]+)" + FMT, georeport.service_definition, name="service"),
    re_path(r"^v2/requests" + FMT, georeport.requests_endpoint, name="requests"),
    re_path(r"^v2/requests/(?P<request_id>[^/.]+)" + FMT, georeport.request_detail, name="request"),
    re_path(r"^v2/tokens/(?P<token>[^/.]+)" + FMT, georeport.token_detail, name="token"),
    re_path(r"^v2/servicerequestupdates" + FMT, georeport.request_updates, name="updates"),
    re_path(r"^v2/", georeport.unknown, name="unknown"),
]

# Included as `include((report_urlpatterns, "report"))`: the page keeps its own namespace and prefix.
report_urlpatterns = [
    path("", pages.report, name="report"),
    path("attributes/", pages.attributes, name="attributes"),
    path("grids.json", pages.grids, name="grids"),
    path("track/", pages.track, name="track"),
    path("track/<str:token>/", pages.track_token, name="track_token"),
]

# Included as `include((keys_urlpatterns, "open311_keys"))`: a staff page, so not under /open311/ (machine errors).
keys_urlpatterns = [
    path("", keys.keys, name="list"),
    path("<int:client_id>/revoke/", keys.key_revoke, name="revoke"),
]
