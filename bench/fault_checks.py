"""What the fault test checks afterwards, run inside `manage.py shell` (see fault_test.py): every acknowledged key is
one event with its whole history, and every deadline that passed was acted on exactly once.

Reads its inputs from the environment: FAULT_ACKED (a file of "key id status" lines), FAULT_FIRST_ID (events above
this id are the run's), FAULT_SEEDS (a JSON file of the seeded events and what each must have had done), FAULT_CUTOFF
(an ISO time: every clock due before it must be flagged). Prints one line, "CHECKS" and a JSON object.
"""

import json
import os
from collections import Counter, defaultdict
from typing import Any

LOAD_TYPE = "ZF0101"
NEUTRAL = {"supervise"}  # acts beside a step that leave the stage clock as it is


def acked_keys(path: str) -> dict[str, set[int]]:
    keys: dict[str, set[int]] = defaultdict(set)
    with open(path) as f:
        for line in f:
            key, event_id, _status = line.split()
            keys[key].add(int(event_id))
    return keys


def check_keys(keys: dict[str, set[int]], first_id: int) -> dict[str, Any]:
    """Acknowledged keys against the load's events in the database."""
    from grassroots.events.models import Event

    rows = list(
        Event.objects.filter(pk__gt=first_id, event_type__code=LOAD_TYPE).values_list("pk", "idempotency_key")
    )
    by_key: dict[str | None, list[int]] = defaultdict(list)
    for pk, key in rows:
        by_key[key].append(pk)
    found = sum(1 for key, ids in keys.items() if len(ids) == 1 and by_key.get(key) == list(ids))
    lost = sorted(key for key in keys if not by_key.get(key))
    answered_two_ids = sorted(key for key, ids in keys.items() if len(ids) > 1)
    doubled = sum(len(ids) - 1 for ids in by_key.values() if len(ids) > 1)
    unacknowledged = sorted(pk for key, ids in by_key.items() if key not in keys for pk in ids)
    return {
        "acknowledged": len(keys),
        "found": found,
        "lost": len(lost),
        "duplicates": doubled + len(answered_two_ids),
        "unacknowledged": len(unacknowledged),
        "examples": {"lost": lost[:5], "two_ids": answered_two_ids[:5], "unacknowledged": unacknowledged[:5]},
    }


def check_histories(first_id: int) -> dict[str, Any]:
    """Each of the run's events: transitions numbered 1..version from the report on, an audit row for each, and no
    warning or overdue flag twice within one stage (a stage ends at any other step)."""
    from grassroots.audit.models import AuditEntry
    from grassroots.events.models import Event, Transition

    versions = dict(Event.objects.filter(pk__gt=first_id).values_list("pk", "version"))
    steps: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for event_id, seq, action in (
        Transition.objects.filter(event_id__gt=first_id)
        .order_by("event_id", "seq")
        .values_list("event_id", "seq", "action")
    ):
        steps[event_id].append((seq, action))
    audited: dict[int, Counter[str]] = defaultdict(Counter)
    for object_id, action in AuditEntry.objects.filter(
        object_type="events.event", action__startswith="event."
    ).values_list("object_id", "action"):
        if object_id.isdigit() and int(object_id) > first_id:
            audited[int(object_id)][action] += 1
    broken, unaudited, doubled = [], [], []
    for pk, version in versions.items():
        history = steps.get(pk, [])
        if [seq for seq, _ in history] != list(range(1, version + 1)) or history[0][1] != "report":
            broken.append(pk)
        wanted = Counter(f"event.{action}" for _, action in history)
        if any(audited[pk][action] != n for action, n in wanted.items()):
            unaudited.append(pk)
        warned = flagged = False
        for _, action in history:
            if action == "warn":
                doubled += [pk] if warned else []
                warned = True
            elif action == "overdue":
                doubled += [pk] if flagged else []
                flagged = True
            elif action not in NEUTRAL:
                warned = flagged = False
    return {
        "events": len(versions),
        "history_broken": len(broken),
        "audit_missing": len(unaudited),
        "flags_doubled": len(doubled),
        "examples": {"broken": broken[:5], "unaudited": unaudited[:5], "doubled": doubled[:5]},
    }


def check_seeds(path: str) -> dict[str, Any]:
    """The seeded events whose clocks fell due during the run: exactly the warnings and escalations expected, and
    each notice in the inbox of everyone it was for, counted once per step."""
    from grassroots.events.models import Transition
    from grassroots.notifications.models import Notification

    with open(path) as f:
        seeds = json.load(f)
    ids = [s["id"] for s in seeds]
    done: dict[int, Counter[str]] = defaultdict(Counter)
    for event_id, action in Transition.objects.filter(event_id__in=ids, actor__isnull=True).values_list(
        "event_id", "action"
    ):
        done[event_id][action] += 1
    told: dict[tuple[int, str], Counter[int]] = defaultdict(Counter)
    for event_id, verb, recipient, repeats in Notification.objects.filter(event_id__in=ids).values_list(
        "event_id", "verb", "recipient_id", "repeats"
    ):
        told[(event_id, verb)][recipient] += repeats
    wrong, lost, doubled, notices_lost, notices_doubled = [], [], [], [], []
    for seed in seeds:
        pk, acts = seed["id"], done[seed["id"]]
        if seed["group"] == "warn":  # warned once, nothing else (the deadline is hours away)
            if acts["warn"] == 0:
                lost.append(pk)
            elif acts != Counter(warn=1):
                (doubled if acts["warn"] > 1 else wrong).append(pk)
        else:  # escalated once to the village (a warning first unless the first tick found it overdue)
            if acts["escalate"] == 0:
                lost.append(pk)
            elif acts["escalate"] > 1 or acts["warn"] > 1:
                doubled.append(pk)
            elif set(acts) - {"warn", "escalate"}:
                wrong.append(pk)
        for action, verb in (("warn", "warn"), ("escalate", "dispatch")):
            recipients = told[(pk, verb)]
            if acts[action] and not recipients:
                notices_lost.append((pk, verb))
            elif any(n != acts[action] for n in recipients.values()):
                (notices_doubled if max(recipients.values()) > acts[action] else notices_lost).append(
                    (pk, verb)
                )
    return {
        "seeds": len(seeds),
        "timer_steps": sum(sum(c.values()) for c in done.values()),
        "timer_lost": len(lost),
        "timer_doubled": len(doubled),
        "timer_unexpected": len(wrong),
        "notices": sum(sum(c.values()) for c in told.values()),
        "notices_lost": len(notices_lost),
        "notices_doubled": len(notices_doubled),
        "examples": {"lost": lost[:5], "doubled": doubled[:5], "notices_lost": notices_lost[:5]},
    }


def check_unflagged(cutoff: str) -> dict[str, Any]:
    """Clocks that passed their warning or due time before the cutoff without the flag: events and workflow clocks."""
    import datetime as dt

    from grassroots.events.models import Event
    from grassroots.events.services.timers import CLOCKED
    from grassroots.workflow.choices import ClockState
    from grassroots.workflow.models import Clock

    at = dt.datetime.fromisoformat(cutoff)
    clocked = Event.objects.filter(status__in=CLOCKED)
    running = Clock.objects.filter(state=ClockState.RUNNING)
    return {
        "unflagged_overdue": clocked.filter(deadline__lte=at, overdue=False).count()
        + running.filter(due_at__lte=at, overdue=False).count(),
        "unflagged_warning": clocked.filter(warn_at__lte=at, warned=False).count()
        + running.filter(warn_at__lte=at, warned=False).count(),
    }


def main() -> None:
    first_id = int(os.environ["FAULT_FIRST_ID"])
    result = {
        "keys": check_keys(acked_keys(os.environ["FAULT_ACKED"]), first_id),
        "histories": check_histories(first_id),
        "seeds": check_seeds(os.environ["FAULT_SEEDS"]),
        "clocks": check_unflagged(os.environ["FAULT_CUTOFF"]),
    }
    print("CHECKS" + json.dumps(result))
