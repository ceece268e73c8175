"""Production refuses the committed keys and passes `check --deploy`; development starts with a warning."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from grassroots.core.checks import check_keys

ROOT = Path(settings.BASE_DIR)


def _manage(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE in this process; a deployment never has it (async.E001).
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "AUDIT_HMAC_KEY", "GRASSROOTS_ENV", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    clean.update(GRASSROOTS_VAR_DIR=str(tmp_path), DEBUG="0", **env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120
    )


def test_production_without_keys_refuses_to_run(tmp_path):
    done = _manage(tmp_path, "check", GRASSROOTS_ENV="production")
    assert done.returncode != 0
    assert "grassroots.E001" in done.stderr
    assert "grassroots.E002" in done.stderr


def test_production_with_real_keys_passes_check_deploy(tmp_path):
    done = _manage(
        tmp_path,
        "check",
        "--deploy",
        GRASSROOTS_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(50),
        AUDIT_HMAC_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="grassroots.example.gov.cn",
    )
    assert done.returncode == 0, done.stderr + done.stdout
    # Only the calendar's own reminder may remain (next year's holidays, workcal.W001): nothing about security.
    assert "security." not in done.stderr + done.stdout
    assert "grassroots." not in done.stderr + done.stdout


def test_the_wsgi_server_does_not_start_in_production_without_keys(tmp_path):
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "AUDIT_HMAC_KEY"}}
    clean.update(GRASSROOTS_VAR_DIR=str(tmp_path), GRASSROOTS_ENV="production")
    done = subprocess.run(
        [sys.executable, "-c", "import config.wsgi"], cwd=ROOT, env=clean, capture_output=True, text=True
    )
    assert done.returncode != 0
    assert "SECRET_KEY" in done.stderr


def test_development_starts_on_the_committed_keys_with_a_clear_warning(tmp_path):
    done = _manage(tmp_path, "check")
    assert done.returncode == 0, done.stderr
    assert "grassroots.W001" in done.stderr
    assert "开发模式" in done.stderr


@pytest.mark.parametrize(
    ("secret", "audit", "codes"),
    [
        ("s" * 40, "s" * 40, ["grassroots.E003"]),
        ("short", "a" * 40, ["grassroots.E001"]),
        ("s" * 40, "a" * 40, []),
    ],
)
def test_key_rules(settings, secret, audit, codes):
    settings.PRODUCTION = True
    settings.SECRET_KEY, settings.AUDIT_HMAC_KEY = secret, audit
    assert [m.id for m in check_keys()] == codes
