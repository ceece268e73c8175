"""While a history is built, the pages say how far it is; a file left by a killed builder says nothing."""

import datetime as dt
import json
import os
import subprocess
import sys

import pytest
from django.urls import reverse

from grassroots.demo.progress import progress_clear, progress_read, progress_write

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    yield tmp_path
    progress_clear()


def test_progress_is_read_back_while_the_builder_runs_and_gone_once_cleared() -> None:
    assert progress_read() is None
    progress_write(day=dt.date(2026, 10, 5), done=40, days=90)

    assert progress_read() == {"pid": os.getpid(), "day": dt.date(2026, 10, 5), "done": 40, "days": 90}
    progress_clear()
    assert progress_read() is None


def test_a_file_left_by_a_builder_that_is_gone_is_ignored(var_dir) -> None:
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    (var_dir / "demo-history.json").write_text(
        json.dumps({"pid": int(gone.stdout), "day": "2026-10-05", "done": 40, "days": 90})
    )
    assert progress_read() is None
    (var_dir / "demo-history.json").write_text("{not json")
    assert progress_read() is None


def test_signed_in_pages_show_the_note_while_the_history_is_built(client, django_user_model) -> None:
    user = django_user_model.objects.create_user(username="watcher", password="Demo@2026xx", name="值班员")
    client.force_login(user)
    url = reverse("home")

    assert "正在后台生成" not in client.get(url, follow=True).content.decode()
    progress_write(day=dt.date(2026, 10, 5), done=40, days=90)
    page = client.get(url, follow=True).content.decode()
    assert "事件历史正在后台生成：已模拟 40/90 天（至 10月5日）" in page


def test_a_running_build_is_neither_rebuilt_nor_reset_from_under_it(monkeypatch) -> None:
    from io import StringIO

    from django.core.management import CommandError, call_command

    from grassroots.demo.district import HistoryState, demo_history_state
    from grassroots.demo.management.commands import demo as command
    from grassroots.events.models import Event

    real_history = command.build_demo_history

    def cut_short(**kwargs):
        real_history(**{**kwargs, "days": 1})
        raise KeyboardInterrupt

    monkeypatch.setattr(command, "build_demo_history", cut_short)
    with pytest.raises(KeyboardInterrupt):
        call_command("demo", "--days", "2", "--per-day", "3", stdout=StringIO())
    monkeypatch.setattr(command, "build_demo_history", real_history)
    events = Event.objects.count()
    progress_write(day=dt.date(2026, 10, 5), done=1, days=2)  # as if that build were still running (our pid)

    out = StringIO()
    call_command("demo", "--days", "2", "--per-day", "3", stdout=out)
    assert "正由进程" in out.getvalue() and "本次不再生成" in out.getvalue()
    with pytest.raises(CommandError, match="请先停止它再重建"):
        call_command("demo", "--reset", stdout=StringIO())
    assert Event.objects.count() == events and demo_history_state() == HistoryState.PARTIAL
