"""The life of one demo application (办件): a plan of what happens to it and when, drawn from a random stream, and
its realisation up to the demo's clock as the rows the services would have left (history, clock, visits, notice,
rating, rectification). The order of the steps follows the table in `convenience/rules.py`.

A plan keeps its later steps as offsets in working time, so that moving the decision (`Plan.decide_at`) moves
delivery, archive and rating with it.
"""

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from grassroots.convenience.choices import (
    BAD_GRADES,
    Channel,
    DeliveryMethod,
    MaterialNeed,
    RatingChannel,
    RectificationStatus,
    Status,
    VisitKind,
)
from grassroots.convenience.models import (
    Application,
    ApplicationHistory,
    CorrectionNotice,
    InPersonVisit,
    Rating,
    Rectification,
)
from grassroots.workcal.calendar import WorkCalendar
from grassroots.workcal.choices import LimitUnit
from grassroots.workflow.choices import PauseKind, ResultKind
from grassroots.workflow.clock_counting import moment_after

from .convenience_clocks import SimClock
from .convenience_plans import ItemRef, Place, Plan

S, R = Status, RectificationStatus
MINUTE = 60
COMPLAINTS = (
    "排队等候时间太长",
    "窗口人员解释不够清楚，跑了冤枉路",
    "材料要求和网上办事指南不一致",
    "办理时间超过了承诺时限",
    "系统故障，重复填报了两次",
)
MEASURES = (
    "已向申请人当面致歉，窗口增设高峰时段弹性岗",
    "已更新办事指南并组织窗口人员业务培训",
    "已与后台科室约定办理时限，超期件每日通报",
    "已协调技术人员修复系统问题并补办结果",
)
APPEAL = (
    "如不服本决定，可在收到决定书之日起六十日内向嘉善县人民政府申请行政复议，或在六个月内依法提起行政诉讼。"
)


@dataclass
class Life:
    """The rows of one application as realised up to `now`."""

    app: Application
    history: list[ApplicationHistory] = field(default_factory=list)
    visits: list[InPersonVisit] = field(default_factory=list)
    notices: list[CorrectionNotice] = field(default_factory=list)
    clock: SimClock | None = None
    rating: Rating | None = None
    rectification: Rectification | None = None
    rect_clocks: list[SimClock] = field(default_factory=list)
    last: dt.datetime | None = None  # the moment of the last step taken
    plan: Plan | None = None
    place: Place | None = None

    def again(self, realiser: "Realiser") -> "Life":
        """The same plan realised again, after a change to it."""
        assert self.plan is not None and self.place is not None
        return realiser.realise(self.plan, self.place, self.app.pk)


class Realiser:
    """Turns plans into lives under one calendar and one `now`."""

    def __init__(self, calendar: WorkCalendar, now: dt.datetime, unit_names: dict[int, str]) -> None:
        self.cal = calendar
        self.now = now
        self.unit_names = unit_names
        self.day = calendar.unit_seconds(LimitUnit.WORKING_DAYS)

    def after(self, moment: dt.datetime, seconds: float) -> dt.datetime:
        return moment_after(self.cal, LimitUnit.WORKING_DAYS, moment, max(int(seconds), 1))

    def realise(self, plan: Plan, place: Place, pk: int) -> Life:
        rng = random.Random(plan.seed)
        item, applicant = plan.item, plan.applicant
        created = plan.forwarded_at or plan.received_at
        app = Application(
            pk=pk,
            number=f"BJ{timezone.localtime(created):%Y%m%d}{pk:08d}",
            item_id=item.pk,
            centre_id=place.centre_id,
            channel=plan.channel,
            region_code=plan.agent[2] if plan.agent else place.code,
            status="",
            applicant_name=applicant.name,
            applicant_phone=applicant.phone,
            applicant_id_number=applicant.id_number,
            subject=item.name,
            materials_received=[m for m, _, need in item.materials if need != MaterialNeed.CONDITIONAL],
            materials_pending=list(plan.pending),
            created_at=created,
            updated_at=created,
            rating_token=plan.token,
        )
        app.materials_received = [m for m in app.materials_received if m not in plan.pending]
        life = Life(app=app, plan=plan, place=place)
        if plan.agent is not None:
            app.agent_id, app.agent_village_id = plan.agent[0], plan.agent[1]
            app.entrustment = "委托书（申请人签字）"
            assert plan.forwarded_at is not None
            self._row(life, "forward", S.FORWARDED, plan.forwarded_at, plan.agent[0], initial=True)
            life.history[-1].data = {"entrustment": app.entrustment}
            if plan.received_at > self.now:
                return self._end(life)
            self._row(life, "receive", S.RECEIVED, plan.received_at, plan.clerk)
            self._intake_fields(life, plan, place)
        else:
            self._intake_fields(life, plan, place)
            self._row(life, "apply", S.RECEIVED, plan.received_at, plan.clerk, initial=True)
            if plan.channel == Channel.WINDOW:
                self._visit(life, VisitKind.APPLY, plan.received_at, plan.clerk)
        clock = life.clock = SimClock(
            self.cal,
            workflow="application",
            name="promise",
            statutory_days=item.statutory,
            promised_days=item.promised,
            limit_source=item.limit_source,
            at=plan.received_at,
            from_next_day=True,
        )
        life.history[-1].data = {**life.history[-1].data, "clock": clock.start_data}
        self._due(life)
        t = plan.received_at
        clerk = plan.clerk
        if plan.reject:
            reason = "申请人不具备该事项的申请资格"
            self._row(life, "reject", S.NOT_ACCEPTED, t, clerk, note=reason)
            app.refusal_reason, app.closed_at = reason, t
            self._clock_row(life, clock.stop(t, result="not_accepted", actor_id=clerk))
            return self._end(life)
        if plan.correction is not None:
            supplied, in_person = plan.correction[1], plan.correction[2]
            self._correction(life, item, t, clerk, rng)
            if supplied is None or supplied > self.now:
                return self._end(life)
            t = supplied
            self._row(life, "supply", S.PROCESSING, t, clerk, data={"in_person": in_person})
            app.accepted_at = t
            self._clock_row(life, clock.resume(t, actor_id=clerk))
            life.notices[-1].supplied_at = t
            if in_person:
                self._visit(life, VisitKind.SUPPLY, t, clerk)
        else:
            self._row(life, "accept", S.PROCESSING, t, clerk, data={"pending": list(plan.pending)})
            app.accepted_at = t
        back_office = place.back_office(item)
        if back_office is not None:
            wait = rng.randint(5, 60) * MINUTE
            if plan.decide_at is not None and self.after(t, wait) >= plan.decide_at:
                t += (plan.decide_at - t) / 3  # passed on in a hurry: the decision is due before
            else:
                t = self.after(t, wait)
            if t > self.now:
                return self._end(life)
            self._row(life, "transfer", None, t, clerk, data={"unit": self.unit_names[back_office]})
            app.handling_unit_id = back_office
        decider = rng.choice(place.staff.get(app.handling_unit_id or 0, ()) or (clerk,))
        for pause in (plan.suspension, plan.later_correction):
            if pause is None:
                continue
            t = self._at_share(clock, pause[0], t)
            if t > self.now:
                return self._end(life)
            if pause is plan.suspension:
                kind = plan.suspension[2]
                self._row(
                    life, "suspend", S.SUSPENDED, t, decider, note="需组织现场踏勘", data={"kind": kind}
                )
                self._clock_row(life, clock.pause(t, kind=kind, reason="需组织现场踏勘", actor_id=decider))
            else:
                self._correction(life, item, t, decider, rng)
            if pause[1] is None:
                return self._end(life)
            t = self.after(t, pause[1] * self.day)
            if t > self.now:
                return self._end(life)
            action = "resume" if pause is plan.suspension else "supply"
            self._row(life, action, S.PROCESSING, t, decider if action == "resume" else clerk)
            self._clock_row(life, clock.resume(t, actor_id=clerk))
            if action == "supply":
                life.notices[-1].supplied_at = t
        if plan.enquiry and plan.decide_at is None:
            t = self.after(t, rng.randint(30, 240) * MINUTE)
            if t > self.now:
                return self._end(life)
            self._row(life, "record_visit", None, t, clerk, data={"kind": VisitKind.ENQUIRE})
            self._visit(life, VisitKind.ENQUIRE, t, clerk)
        if plan.withdraw is not None:
            t = self._at_share(clock, plan.withdraw, t)
            if t > self.now:
                return self._end(life)
            reason = "申请人主动撤回申请"
            self._row(life, "withdraw", S.WITHDRAWN, t, clerk, note=reason)
            app.result, app.closed_at = ResultKind.WITHDRAWN, t
            self._clock_row(life, clock.stop(t, result=ResultKind.WITHDRAWN, actor_id=clerk))
            return self._end(life)
        if plan.open_:
            return self._end(life)
        t = self._decide_moment(plan, clock, t)
        if t > self.now:
            return self._end(life)
        result = (
            ResultKind.REFUSED
            if plan.refused
            else ResultKind.GRANTED_PENDING
            if plan.pending
            else ResultKind.GRANTED
        )
        note = "经审查，符合条件，准予办理" if result != ResultKind.REFUSED else "经审查，不符合条件"
        self._row(life, "decide", S.DECIDED, t, decider, note=note)
        app.result, app.decided_at = result, t
        if result == ResultKind.REFUSED:
            app.refusal_reason, app.appeal_route = "经审查，申请人不符合该事项规定的条件", APPEAL
        stop = clock.stop(t, result=result, actor_id=decider)
        app.late = clock.clock.overdue
        self._clock_row(life, stop)
        return self._deliver(life, plan, t, clerk, rng)

    def _decide_moment(self, plan: Plan, clock: SimClock, t: dt.datetime) -> dt.datetime:
        if plan.decide_at is not None:
            return plan.decide_at if plan.decide_at > t else t + dt.timedelta(minutes=1)
        if plan.quick:
            return self.after(t, 20 * MINUTE)
        return self._at_share(clock, plan.share, t)

    def _at_share(self, clock: SimClock, share: float, t: dt.datetime) -> dt.datetime:
        """When the clock will have used `share` of its budget, but not before a few minutes after `t`."""
        c = clock.clock
        target = int(share * c.budget_seconds) - c.consumed_seconds
        moment = self.after(c.running_since or t, target) if target > 0 else t
        return max(moment, self.after(t, 15 * MINUTE))

    def _deliver(self, life: Life, plan: Plan, t: dt.datetime, clerk: int, rng: random.Random) -> Life:
        app = life.app
        t = self.after(t, plan.deliver_after)
        if t > self.now:
            return self._end(life)
        method = plan.delivery
        tracking = f"1{rng.randrange(10**11):011d}" if method == DeliveryMethod.MAIL else ""
        self._row(life, "deliver", S.DELIVERED, t, clerk, data={"method": method})
        app.delivered_at, app.delivery_method, app.tracking_number = t, method, tracking
        if method == DeliveryMethod.WINDOW:
            self._visit(life, VisitKind.COLLECT, t, clerk)
        delivered = t
        steps: list[tuple[dt.datetime, str]] = []
        if plan.archive_after:
            steps.append((self.after(delivered, plan.archive_after), "archive"))
        if plan.rating is not None:
            when = delivered if plan.rating[2] == 0 else self.after(delivered, plan.rating[2])
            steps.append((when, "rate"))
        for when, action in sorted(steps):
            if when > self.now:
                break
            if action == "archive":
                self._row(life, "archive", S.ARCHIVED, when, clerk)
                app.closed_at = when
            else:
                self._rate(life, plan, when, clerk, rng)
        return self._end(life)

    def _rate(self, life: Life, plan: Plan, at: dt.datetime, clerk: int, rng: random.Random) -> None:
        assert plan.rating is not None
        grade, channel, _ = plan.rating
        comment = rng.choice(COMPLAINTS) if grade in BAD_GRADES else ""
        by = clerk if channel in (RatingChannel.PHONE, RatingChannel.DEVICE) else None
        self._row(life, "rate", None, at, by, note=comment, data={"grade": grade, "channel": channel})
        life.rating = Rating(grade=grade, channel=channel, comment=comment, at=at, recorded_by_id=by)
        if grade not in BAD_GRADES:
            return
        owner = life.app.first_clerk_id or clerk
        rect = life.rectification = Rectification(status=R.OPEN, owner_id=owner, created_at=at, updated_at=at)
        callback = self._rect_clock(life, "callback", 1, "差评回访：1 工作日", at)
        fix = self._rect_clock(life, "rectify", 15, "差评整改：15 工作日", at)
        rect.due_at = fix.clock.due_at
        t = at
        moves = (
            ("contact", R.CONTACTED, callback),
            ("rectify", R.RECTIFIED, fix),
            ("review", R.CLOSED, None),
        )
        for (action, to, clock), wait in zip(moves, plan.rectify, strict=False):
            t = self.after(t, wait)
            if t > self.now:
                break
            note = {
                "contact": "已电话联系申请人，了解不满意的原因并致歉",
                "rectify": rng.choice(MEASURES),
                "review": "",
            }[action]
            row = ApplicationHistory(
                action=f"rectification.{action}",
                from_status=rect.status,
                to_status=to,
                actor_id=owner,
                at=t,
                note=note,
            )
            life.history.append(row)
            rect.status, rect.updated_at = to, t
            rect.version += 1
            if action == "contact":
                rect.contacted_at, rect.contact_note = t, note
            elif action == "rectify":
                rect.rectified_at, rect.measures = t, note
            else:
                rect.review, rect.closed_at = "satisfied" if rng.random() < 0.8 else "basically", t
            if clock is not None:
                clock.stop(t, result="done", actor_id=owner)
                rect.late = rect.late or clock.clock.overdue
        for clock in life.rect_clocks:
            clock.settle(self.now)
            rect.late = rect.late or clock.clock.overdue

    def _rect_clock(self, life: Life, name: str, days: int, source: str, at: dt.datetime) -> SimClock:
        clock = SimClock(
            self.cal,
            workflow="rectification",
            name=name,
            statutory_days=days,
            promised_days=None,
            limit_source=source,
            at=at,
            from_next_day=False,
        )
        life.rect_clocks.append(clock)
        return clock

    # -- rows ---------------------------------------------------------------------------------------------

    def _intake_fields(self, life: Life, plan: Plan, place: Place) -> None:
        app = life.app
        app.received_at = plan.received_at
        app.window_id = plan.window
        app.first_clerk_id = app.handler_id = plan.clerk
        app.handling_unit_id = place.centre_unit_id

    def _row(
        self,
        life: Life,
        action: str,
        to: str | None,
        at: dt.datetime,
        actor: int | None,
        *,
        note: str = "",
        data: dict[str, Any] | None = None,
        initial: bool = False,
    ) -> None:
        app = life.app
        if not initial:
            app.version += 1
        payload = {k: v for k, v in (data or {}).items() if v not in (None, "", [])}
        life.history.append(
            ApplicationHistory(
                action=action,
                from_status=app.status,
                to_status=to or app.status,
                actor_id=actor,
                at=at,
                note=note,
                data=payload,
            )
        )
        app.status = to or app.status
        app.updated_at = at
        life.last = at

    def _clock_row(self, life: Life, change: dict[str, Any]) -> None:
        row = life.history[-1]
        row.data = {**row.data, "clock": change}
        self._due(life)

    def _due(self, life: Life) -> None:
        assert life.clock is not None
        clock = life.clock.clock
        life.app.due_at = clock.due_at if clock.state == "running" else None

    def _visit(self, life: Life, kind: str, at: dt.datetime, actor: int) -> None:
        life.visits.append(InPersonVisit(kind=kind, at=at, recorded_by_id=actor))
        life.app.visits += 1

    def _correction(self, life: Life, item: ItemRef, at: dt.datetime, actor: int, rng: random.Random) -> None:
        app = life.app
        assert life.clock is not None
        needed = [(pk, name) for pk, name, need in item.materials if need != MaterialNeed.CONDITIONAL]
        missing: list[tuple[int | None, str]] = [*rng.sample(needed, k=min(len(needed), rng.randint(1, 2)))]
        missing = missing or [(None, "补充说明材料")]
        items = [
            {"material": pk, "name": name, "reason": rng.choice(("未提交", "复印件不清晰", "信息填写不完整"))}
            for pk, name in missing
        ]
        self._row(
            life, "request_correction", S.CORRECTING, at, actor, data={"items": [i["name"] for i in items]}
        )
        self._clock_row(
            life, life.clock.pause(at, kind=PauseKind.CORRECTION, reason="一次性告知补正", actor_id=actor)
        )
        app.materials_received = [m for m in app.materials_received if m not in {pk for pk, _ in missing}]
        life.notices.append(
            CorrectionNotice(
                number=f"{app.number}-{len(life.notices) + 1}",
                items=items,
                supply_by=self.cal.add(at, 10, unit=LimitUnit.WORKING_DAYS).date(),
                issued_at=at,
                issued_by_id=actor,
            )
        )

    def _end(self, life: Life) -> Life:
        if life.clock is not None:
            life.clock.settle(self.now)
        return life
