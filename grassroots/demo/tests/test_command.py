"""`manage.py demo`: idempotent without --reset, rebuilds with it."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from grassroots.audit.models import AuditEntry
from grassroots.audit.services import audit_record
from grassroots.geo.models import Grid
from grassroots.people.models import Person

pytestmark = pytest.mark.django_db


def _demo(*args: str) -> str:
    out = StringIO()
    # The district only: the event history has its own tests (test_history.py) and takes a while.
    call_command("demo", "--no-history", *args, stdout=out)
    return out.getvalue()


def test_running_the_command_twice_without_reset_changes_nothing() -> None:
    first = _demo()
    assert "已载入演示数据" in first and "Demo@2026" in first and "gridworker" in first
    counts = (Grid.objects.count(), Person.objects.count())
    second = _demo()
    assert "已载入" in second and "--reset" in second
    assert (Grid.objects.count(), Person.objects.count()) == counts
    assert AuditEntry.objects.filter(action="demo.load").count() == 1


def test_reset_rebuilds_and_retires_people_the_audit_log_still_names() -> None:
    _demo()
    admin = Person.objects.get(username="admin")
    audit_record(actor=admin, action="login", obj=admin)
    count = Person.objects.count()
    _demo("--reset")
    retired = Person.objects.get(pk=admin.pk)
    assert retired.username == f"admin~{admin.pk}" and not retired.is_active and retired.region_code == ""
    assert Person.objects.get(username="admin").pk != admin.pk
    assert Person.objects.filter(is_active=True).count() == count


def test_a_taken_demo_username_is_reported_not_overwritten() -> None:
    Person.objects.create_user(username="operator", name="王伟", password="x" * 12)
    with pytest.raises(CommandError, match="operator"):
        _demo()
    assert not Grid.objects.exists()


def test_size_out_of_range_is_refused() -> None:
    with pytest.raises(CommandError):
        _demo("--size", "0")


def test_a_history_cut_short_is_rebuilt_on_the_next_run(monkeypatch) -> None:
    from grassroots.demo.management.commands import demo as command
    from grassroots.events.models import Event

    real_history = command.build_demo_history

    def cut_short(**kwargs):
        real_history(**{**kwargs, "days": 1})  # a first day commits…
        raise KeyboardInterrupt  # …then the user presses Ctrl-C

    monkeypatch.setattr(command, "build_demo_history", cut_short)
    with pytest.raises(KeyboardInterrupt):
        call_command("demo", "--days", "2", "--per-day", "3", stdout=StringIO())
    assert Event.objects.exists()
    monkeypatch.setattr(command, "build_demo_history", real_history)

    out = StringIO()
    call_command("demo", "--days", "2", "--per-day", "3", stdout=out)
    assert "中断" in out.getvalue() and "已生成事件历史" in out.getvalue()
    assert AuditEntry.objects.filter(action="demo.load").count() == 2
    assert AuditEntry.objects.filter(action="demo.history").count() == 1
    again = StringIO()
    call_command("demo", "--days", "2", "--per-day", "3", stdout=again)
    assert "已载入" in again.getvalue() and "中断" not in again.getvalue()


def test_a_district_built_without_history_is_not_mistaken_for_an_interrupted_one() -> None:
    _demo()
    assert "中断" not in _demo()


def test_history_later_builds_the_district_now_and_the_next_run_adds_its_history_to_it() -> None:
    from grassroots.demo.district import HistoryState, demo_history_state
    from grassroots.events.models import Event

    first = StringIO()
    call_command("demo", "--history-later", stdout=first)
    assert "演示账号" in first.getvalue() and "事件历史随后生成" in first.getvalue()
    assert demo_history_state() == HistoryState.PENDING and not Event.objects.exists()
    operator = Person.objects.get(username="operator")
    again = StringIO()
    call_command("demo", "--history-later", stdout=again)  # a later scripts/run: nothing to do yet
    assert "已载入" in again.getvalue()

    out = StringIO()
    call_command("demo", "--days", "2", "--per-day", "3", stdout=out)  # scripts/run's background job

    assert "已生成事件历史" in out.getvalue() and "中断" not in out.getvalue()
    assert Person.objects.get(username="operator").pk == operator.pk  # the same district, not a rebuilt one
    assert Event.objects.exists() and demo_history_state() == HistoryState.DONE
    assert AuditEntry.objects.filter(action="demo.load").count() == 1
