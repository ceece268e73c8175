"""The peer for intake: django-helpdesk 2.6 in its own virtualenv, served like the product, on the same PostgreSQL.

`helpdesk_site(workers)` builds what it needs once (var/bench/helpdesk-venv with the pins below; a minimal Django
project generated into var/bench/helpdesk-site), then on every call: a fresh database `grassroots_bench_helpdesk` on
127.0.0.1:5432, migrated, with a staff user holding a DRF token and one queue, served by gunicorn (sync workers, the
count given). It yields what the load generator needs to POST tickets to helpdesk's own DRF endpoint
(`POST /helpdesk/api/tickets/`, TicketSerializer → TicketForm, the path its API clients take) and a way to count the
tickets back. Used by `bench_events_api.py --peer helpdesk`; alone it checks that one ticket can be created:

    .venv/bin/python bench/peer_helpdesk.py      # build (first run: a minute for pip), serve, POST one ticket

Settings kept to what a deployment would have: DEBUG off, persistent connections (CONN_MAX_AGE 60, as the product),
mail rendered but not delivered (dummy backend; the product sends nothing on a report either).
"""

import http.client
import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from harness import PG_ADMIN, free_port, wait_ready

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / "var/bench/helpdesk-venv"
SITE = ROOT / "var/bench/helpdesk-site"
PG_DB = "grassroots_bench_helpdesk"
# django-helpdesk 2.6.1 needs Django >= 5.2; server and driver as the product's own pins (pyproject.toml).
PINS = [
    "django-helpdesk==2.6.1",
    "Django==5.2.19",
    "djangorestframework==3.18.3",
    "gunicorn==27.0.1",
    "psycopg[binary]==3.3.9",
]

SETTINGS = f"""
SECRET_KEY = "bench-only-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "helpdesk",
]
SITE_ID = 1
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
ROOT_URLCONF = "hdsite.urls"
TEMPLATES = [{{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "APP_DIRS": True,
    "OPTIONS": {{"context_processors": [
        "django.template.context_processors.request",
        "django.contrib.auth.context_processors.auth",
        "django.contrib.messages.context_processors.messages",
    ]}},
}}]
DATABASES = {{"default": {{
    "ENGINE": "django.db.backends.postgresql",
    "NAME": "{PG_DB}", "USER": "postgres", "HOST": "127.0.0.1", "PORT": "5432",
    "CONN_MAX_AGE": 60,
}}}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
TIME_ZONE = "Asia/Shanghai"
STATIC_URL = "/static/"
EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
REST_FRAMEWORK = {{"DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.TokenAuthentication"]}}
# The API switch: HELPDESK_API_ENABLED in 2.x (HELPDESK_ACTIVATE_API_ENDPOINT in older releases); both on.
HELPDESK_API_ENABLED = True
HELPDESK_ACTIVATE_API_ENDPOINT = True
HELPDESK_TEAMS_MODE_ENABLED = False  # teams need pinax-teams (an extra); tickets do not use them
LOGGING = {{"version": 1, "disable_existing_loggers": False, "root": {{"level": "ERROR"}}}}
"""
URLS = """
from django.urls import include, path
from django.http import HttpResponse

urlpatterns = [
    path("healthz", lambda request: HttpResponse("ok")),
    path("helpdesk/", include("helpdesk.urls")),
]
"""
WSGI = """
import os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hdsite.settings")
from django.core.wsgi import get_wsgi_application
application = get_wsgi_application()
"""
SETUP = """
import json
from django.contrib.auth.models import User
from rest_framework.authtoken.models import Token
from helpdesk.models import Queue
user = User.objects.create_user("bench", "bench@example.com", "bench", is_staff=True)
queue = Queue.objects.create(title="网格事件", slug="grid", email_address="grid@example.com")
print("SETUP" + json.dumps({"token": Token.objects.create(user=user).key, "queue": queue.id}))
"""


@dataclass
class Helpdesk:
    port: int
    token: str
    queue: int
    count: Callable[[], int]  # tickets in its database now


def build() -> None:
    """The virtualenv (once; kept while the pins are unchanged) and the generated project (every time)."""
    stamp = VENV / "pins.txt"
    if not stamp.exists() or stamp.read_text() != "\n".join(PINS):
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(VENV)], check=True)
        pip = [str(VENV / "bin/pip"), "install", "-q", "--disable-pip-version-check"]
        subprocess.run([*pip, *PINS], check=True)
        stamp.write_text("\n".join(PINS))
    package = SITE / "hdsite"
    package.mkdir(parents=True, exist_ok=True)
    for name, text in {"__init__.py": "", "settings.py": SETTINGS, "urls.py": URLS, "wsgi.py": WSGI}.items():
        (package / name).write_text(text)
    (SITE / "manage.py").write_text(
        "import os, sys\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'hdsite.settings')\n"
        "from django.core.management import execute_from_command_line\nexecute_from_command_line(sys.argv)\n"
    )


def _manage(*args: str) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")}
    out = subprocess.run(
        [str(VENV / "bin/python"), "manage.py", *args], cwd=SITE, env=env, capture_output=True, text=True
    )
    if out.returncode:
        raise RuntimeError(f"helpdesk manage.py {args[0]} failed:\n{out.stderr[-2000:]}")
    return out.stdout


def _count() -> int:
    import psycopg

    with psycopg.connect(f"postgres://postgres@127.0.0.1:5432/{PG_DB}") as conn:
        return conn.execute("SELECT count(*) FROM helpdesk_ticket").fetchone()[0]


@contextmanager
def helpdesk_site(workers: int) -> Iterator[Helpdesk]:
    """A fresh, migrated helpdesk database and gunicorn serving it; ready when this yields."""
    import psycopg

    build()
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {PG_DB}")
    _manage("migrate", "--no-input", "-v0")
    out = _manage("shell", "-c", SETUP)
    setup = json.loads(next(line[5:] for line in out.splitlines() if line.startswith("SETUP")))
    port = free_port()
    server = subprocess.Popen(
        [str(VENV / "bin/gunicorn"), "hdsite.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(workers)],
        cwd=SITE,
        env={k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_ready(port)
        yield Helpdesk(port=port, token=setup["token"], queue=setup["queue"], count=_count)
    finally:
        server.terminate()
        server.wait()


def main() -> None:
    with helpdesk_site(workers=1) as site:
        conn = http.client.HTTPConnection("127.0.0.1", site.port, timeout=30)
        body = {
            "queue": site.queue,
            "title": "路边暴露垃圾",
            "description": "试一张",
            "submitter_email": "a@example.com",
            "priority": 3,
        }
        headers = {"Authorization": f"Token {site.token}", "Content-Type": "application/json"}
        conn.request("POST", "/helpdesk/api/tickets/", body=json.dumps(body), headers=headers)
        response = conn.getresponse()
        print(response.status, response.read()[:300].decode(errors="replace"))
        print("tickets in the database:", site.count())


if __name__ == "__main__":
    main()
