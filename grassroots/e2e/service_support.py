"""What the 便民服务 browser tests share: the centre of `convenience.tests.support`, a step form submitted on the
application page, the record read back from the database, and screenshots when SCREENSHOTS=<dir> is set."""

import os
from pathlib import Path
from typing import Any

from grassroots.convenience.models import Application

# A resident who comes to the window (the ID passes its check digit).
RESIDENT = {"name": "沈国强", "phone": "13900001111", "id_number": "330421196803120514"}


def shoot(page: Any, name: str) -> None:
    target = os.environ.get("SCREENSHOTS")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(target) / f"{name}.png"), full_page=True)


def fresh(application: Application) -> Application:
    return Application.objects.get(pk=application.pk)


def submit_step(page: Any, action: str, done: str) -> None:
    """Submit the step's form (`_step_form.html`) and wait for the page to say it is done."""
    page.click(f"form#step-{action} button[type=submit]")
    page.wait_for_selector(f".messages .message >> text={done}")


def status_on_page(page: Any) -> str:
    return str(page.inner_text("[data-testid=status]")).strip()
