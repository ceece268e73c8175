from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from config.api import api
from grassroots.core import views as core_views
from grassroots.open311.urls import keys_urlpatterns, report_urlpatterns
from grassroots.people import login_views as people_login

admin.site.site_header = "基层治理“四个平台” 管理后台"
admin.site.site_title = "四个平台"
admin.site.index_title = "系统管理"

urlpatterns = [
    path("", core_views.home, name="home"),
    path("login/", people_login.LoginView.as_view(), name="login"),
    # The admin signs in through the same two-step login (password, then the second factor).
    path("admin/login/", RedirectView.as_view(pattern_name="login", query_string=True)),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("healthz", core_views.healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("command/inbox/", include("grassroots.inbox.urls")),
    path("command/hotline/", include("grassroots.hotline.urls")),
    path("command/", include("grassroots.events.urls")),
    path("m/", include("grassroots.mobile.urls")),
    path("dashboard/", include("grassroots.dashboard.urls")),
    path("geo/", include("grassroots.geo.urls")),
    path("open311/", include("grassroots.open311.urls")),
    path("report/", include((report_urlpatterns, "report"))),
    path("assessment/", include("grassroots.assessment.urls")),
    path("service/", include("grassroots.convenience.urls")),
    path("s/", include("grassroots.convenience.public_urls")),
    path("market/", include("grassroots.market.urls")),
    path("draws/", include("grassroots.draws.urls")),
    path("s/draws/", include("grassroots.draws.public_urls")),
    path("s/credit/", include("grassroots.market.public_urls")),
    path("enforcement/", include("grassroots.enforcement.urls")),
    path("governance/", include("grassroots.governance.urls")),
    path("s/powers/", include("grassroots.enforcement.public_urls")),
    path("account/", include("grassroots.people.urls")),
    path("integrations/open311-keys/", include((keys_urlpatterns, "open311_keys"))),
    path("meetings/", include("grassroots.meetings.urls")),
    path("audit/", include("grassroots.audit.urls")),
    path("admin/", admin.site.urls),
]

# Pages get Chinese error pages; /api/ and /open311/ keep their own error shapes (config/errors.py).
handler400 = "config.errors.bad_request"
handler403 = "config.errors.permission_denied"
handler404 = "config.errors.page_not_found"
handler500 = "config.errors.server_error"
