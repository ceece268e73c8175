"""A person's own account pages, mounted at /account/."""

from django.urls import path

from . import login_views, otp_views, views

app_name = "people"
urlpatterns = [
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
    path("login/code/", login_views.login_code, name="login_code"),
    path("otp/", otp_views.otp_status, name="otp"),
    path("otp/enrol/", otp_views.otp_enrol, name="otp_enrol"),
    path("otp/reset/", otp_views.otp_reset_page, name="otp_reset"),
    path("otp/reset/<int:person_id>/", otp_views.otp_reset_person, name="otp_reset_person"),
]
