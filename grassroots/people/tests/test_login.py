"""Login: a login page, lockout after repeated failures, every attempt audited."""

from django.test import Client, override_settings

from grassroots.audit.models import AuditEntry
from grassroots.conftest import PASSWORD


def test_the_login_page_answers_in_chinese(world):
    response = Client().get("/login/")
    assert response.status_code == 200
    assert "登录" in response.content.decode()


def test_the_home_page_sends_anonymous_visitors_to_login(world):
    response = Client().get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_a_good_login_reaches_home_and_is_audited(world):
    client = Client()
    response = client.post("/login/", {"username": "bob", "password": PASSWORD}, follow=True)
    assert "李建国" in response.content.decode()
    assert AuditEntry.objects.filter(action="login", actor=world.bob).count() == 1


def test_a_wrong_password_shows_an_error_in_chinese(world):
    response = Client().post("/login/", {"username": "bob", "password": "wrong"})
    assert "用户名或密码错误" in response.content.decode()
    assert AuditEntry.objects.filter(action="login.failed", object_id=str(world.bob.pk)).count() == 1


@override_settings(LOGIN_MAX_FAILURES=3)
def test_an_account_locks_after_repeated_failures_even_for_the_right_password(world):
    client = Client()
    for _ in range(3):
        client.post("/login/", {"username": "bob", "password": "wrong"})
    response = client.post("/login/", {"username": "bob", "password": PASSWORD})
    assert response.status_code == 200  # the form again, not a redirect
    assert AuditEntry.objects.filter(action="login.locked").count() == 1
