"""The demo's year at 西塘市场监管所, run: the planned inspections (`market_plan.py`) and three 双随机 plans (two
published, the current one drawn and partly recorded), in time order under the simulated clock. Each step is one
service call at its moment, and schedules the next (a re-check after the deadline it learns, a penalty decision);
a step whose moment is still to come is left undone: the open tasks and rectifications.

The drawn targets' findings are decided on the day, by the class each was drawn in, at most `RANDOM_FINDINGS`;
with the planned ones the year's total lands near seed 000's 65 problems, and the penalty cases add up to its
¥200,000."""

import datetime as dt
import heapq
import itertools
import random
from collections import Counter
from collections.abc import Callable
from functools import partial

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from grassroots.draws.models import DrawPlan
from grassroots.draws.services import draw_publish, plan_create, plan_draw, plan_freeze
from grassroots.draws.services.plans import results_summary
from grassroots.market.choices import CheckResult, Conclusion, FindingStatus, InspectionKind
from grassroots.market.choices import Procedure as Proc
from grassroots.market.models import Inspection
from grassroots.market.registry import plan_pool
from grassroots.market.services.inspection_steps import (
    inspection_penalize,
    inspection_recheck,
    inspection_record,
)
from grassroots.market.services.inspections import inspection_create

from .market_checks import ITEM_BY_NUMBER, PLANS, PenaltyCase, PlanSpec
from .market_inspections import Office, Pool
from .market_plan import Life, Planner
from .photos import site_photo
from .simclock import SimulatedClock

RANDOM_FINDINGS = 10  # at most, from the drawn targets
# Of a drawn target, by the class it was drawn in (D are mostly entities penalised this year, since rectified).
PROBLEM_CHANCE = {"A": 0.06, "B": 0.12, "C": 0.25, "D": 0.3}
COMPLIANT = (
    "现场检查未发现问题。",
    "检查表各项均符合要求，经营者签字确认。",
    "证照齐全，经营场所整洁，未发现违法违规行为。",
    "现场检查未发现问题，已告知经营者持续落实主体责任。",
)
UNFOUNDED = (
    "经现场核查，投诉举报反映的问题不属实，已向投诉人反馈。",
    "现场核查未发现投诉反映的问题，已告知投诉人核查结果。",
)
NOT_FOUND = (
    "现场检查时店铺大门紧闭，经电话联系经营者，称已暂停营业。",
    "经营场所已转租他人，未发现当事人在登记住所开展经营活动。",
)


class Year(Planner):
    """The planned year run in time order, one service call per step."""

    def __init__(
        self, *, office: Office, pool: Pool, rng: random.Random, clock: SimulatedClock, now: dt.datetime
    ) -> None:
        super().__init__(office=office, pool=pool, rng=rng, now=now)
        self.clock = clock
        self.queue: list[tuple[dt.datetime, int, Callable[[dt.datetime], None]]] = []
        self.order = itertools.count()
        self.decisions: Counter[str] = Counter()
        self.photos = itertools.count(1)
        self.random_found = 0

    # -- running -------------------------------------------------------------------------------------------

    def run(self) -> None:
        lives = self._routine() + self._campaigns()
        cases = self._cases()
        self._choose_problems(lives, cases)
        lives += cases
        for life in lives:
            self.at(self.moment(life.day - self.rng.randint(1, 4), 520, 560), partial(self.arrange, life))
        for life in self._upcoming():
            self.at(self.moment(self.end - self.rng.randint(1, 3), 520, 600), partial(self.arrange, life))
        for spec in PLANS:
            self._plan(spec)
        self.play(lives)

    def play(self, lives: list[Life]) -> None:
        """Take every step due before now, in time order; then the due dates of `lives` (the services refuse
        one in the past, so they are written afterwards, as they were on the day the inspections were arranged)."""
        while self.queue:
            when, _, step = heapq.heappop(self.queue)
            if when < self.now:
                self.clock.set(when)
                step(when)
        Inspection.objects.bulk_update(
            [self._due(life) for life in lives if life.inspection is not None], ["due_on"], batch_size=500
        )

    def at(self, when: dt.datetime, step: Callable[[dt.datetime], None]) -> None:
        heapq.heappush(self.queue, (when, next(self.order), step))

    # -- the steps -----------------------------------------------------------------------------------------

    def arrange(self, life: Life, when: dt.datetime) -> None:
        upcoming = life.day >= self.end
        life.inspection = inspection_create(
            actor=self.office.manager,
            entity=life.target.entity,
            kind=life.kind,
            unit=self.office.office,
            inspectors=life.inspectors,
            items=[self.pool.items[n] for n in life.items],
            due_on=self.workdays[life.day] if upcoming else None,
            campaign=life.campaign,
            event=life.event,
            now=when,
        )
        if not upcoming:
            self.at(self.moment(life.day), partial(self._record, life))

    def _record(self, life: Life, when: dt.datetime) -> None:
        assert life.inspection is not None
        if life.drawn_risk:
            self._drawn_outcome(life)
        failed = {(number, i) for number, i, _ in life.problems}
        checklist = []
        for number in life.items:
            spec, item = ITEM_BY_NUMBER[number], self.pool.items[number]
            applies = life.target.trade in spec.trades and not life.not_found
            for i, point in enumerate(spec.points):
                result = CheckResult.FAIL if (number, i) in failed else CheckResult.PASS
                if not applies or (result == CheckResult.PASS and self.rng.random() < 0.06):
                    result = CheckResult.NA
                checklist.append({"item_id": item.pk, "point": point.text, "result": result})
        if life.problems:
            conclusion = Conclusion.PROBLEMS
            summary = (
                f"发现问题 {len(life.problems)} 项，已当场下达《责令改正通知书》，"
                f"责令于 {life.rectify_days} 个工作日内整改。"
            )
        elif life.not_found:
            conclusion, summary = Conclusion.NOT_FOUND, self.rng.choice(NOT_FOUND)
        else:
            texts = UNFOUNDED if life.kind == InspectionKind.COMPLAINT else COMPLIANT
            conclusion, summary = Conclusion.COMPLIANT, self.rng.choice(texts)
        inspection_record(
            actor=life.inspectors[0],
            inspection=life.inspection,
            conclusion=conclusion,
            summary=summary,
            checklist=checklist,
            findings=[
                {"description": text, "item_id": self.pool.items[number].pk}
                for number, _, text in life.problems
            ],
            rectify_days=life.rectify_days if life.problems else None,
            photos=[self._photo()] if life.problems else [],
            now=when,
        )
        if life.problems:
            self._after_record(life, when)

    def _drawn_outcome(self, life: Life) -> None:
        if self.random_found < RANDOM_FINDINGS and self.rng.random() < PROBLEM_CHANCE[life.drawn_risk]:
            life.problems = self.problems_for(life, self.rng.choice([1, 1, 1, 2]))
            self.random_found += len(life.problems)
            self.fate(life)
        else:
            life.not_found = self.rng.random() < 0.03

    def _after_record(self, life: Life, when: dt.datetime) -> None:
        recorded = self.index[timezone.localdate(when)]
        due = self._due_index(life)
        on_time = max(recorded + 1, due - self.rng.randint(1, 3))
        if life.fate == "refused":
            self.at(self.moment(due + 1), partial(self._recheck, life, rectified=0))
        elif life.fate == "partial":
            self.at(self.moment(max(recorded + 1, due - 1)), partial(self._recheck, life, rectified=1))
        elif life.fate == "late":
            self.at(self.moment(due + self.rng.randint(1, 8)), partial(self._recheck, life, rectified=None))
        elif life.fate == "ontime":
            self.at(self.moment(on_time), partial(self._recheck, life, rectified=None))
        case = life.case
        if case is not None and not case.refused:
            if case.procedure == Proc.SIMPLE:
                self.at(when + dt.timedelta(minutes=25), partial(self._penalize, life, decided=recorded))
            else:
                decided = recorded + self.rng.randint(10, 30)
                self.at(self.moment(decided + 1, 540, 690), partial(self._penalize, life, decided=decided))

    def _due_index(self, life: Life) -> int:
        assert life.inspection is not None
        open_findings = life.inspection.findings.filter(status=FindingStatus.OPEN)
        return self.index[min(open_findings.values_list("rectify_by", flat=True))]

    def _recheck(self, life: Life, when: dt.datetime, *, rectified: int | None) -> None:
        assert life.inspection is not None
        open_ids = list(
            life.inspection.findings.filter(status=FindingStatus.OPEN)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        done = open_ids if rectified is None else open_ids[:rectified]
        rest = len(open_ids) - len(done)
        if not rest:
            note = "经复查，问题已整改到位。"
        elif done:
            note = f"经复查，{len(done)} 项问题已整改，{rest} 项尚未整改到位，再次责令限期整改。"
        else:
            note = "经复查，问题仍未整改，当事人拒不改正，已报请立案查处并再次责令限期整改。"
        inspection_recheck(
            actor=life.inspectors[0],
            inspection=life.inspection,
            rectified=done,
            note=note,
            rectify_days=5 if rest else None,
            photos=[self._photo()],
            now=when,
        )
        if rest:
            today = self.index[timezone.localdate(when)]
            due = self._due_index(life)
            self.at(
                self.moment(max(today + 1, due - self.rng.randint(0, 2))),
                partial(self._recheck, life, rectified=None),
            )
            if life.case is not None and life.case.refused:
                decided = today + self.rng.randint(2, 4)
                self.at(self.moment(decided + 1, 540, 690), partial(self._penalize, life, decided=decided))

    def _penalize(self, life: Life, when: dt.datetime, *, decided: int) -> None:
        case = life.case
        assert case is not None and life.inspection is not None
        day = self.workdays[decided]
        inspection_penalize(
            actor=life.inspectors[0] if case.procedure == Proc.SIMPLE else self.office.manager,
            inspection=life.inspection,
            decision_no=self._decision_no(case, day),
            kind=case.kind,
            procedure=case.procedure,
            amount=str(case.amount),
            violation=case.violation,
            legal_basis=case.basis,
            decided_on=day,
            now=when,
        )

    def _decision_no(self, case: PenaltyCase, day: dt.date) -> str:
        if case.procedure == Proc.SIMPLE:
            key = f"simple:{day.year}"
            self.decisions[key] += 1
            return f"嘉市监西当罚〔{day.year}〕{self.decisions[key]}号"
        # The county bureau numbers its decisions through the year; the township's are among them.
        number = 10 + day.timetuple().tm_yday * 2
        while self.decisions[f"general:{day.year}:{number}"]:
            number += 1
        self.decisions[f"general:{day.year}:{number}"] += 1
        return f"嘉市监处罚〔{day.year}〕{number}号"

    def _photo(self) -> SimpleUploadedFile:
        return site_photo(self.rng, f"现场照片{next(self.photos)}.png")

    # -- the draws ---------------------------------------------------------------------------------------

    def _plan(self, spec: PlanSpec) -> None:
        """Created a week before, frozen and drawn at a morning session; results recorded and published."""
        drawn = self.end - spec.working_days_ago
        plans: list[DrawPlan] = []

        def create(when: dt.datetime) -> None:
            units = [self.office.office, self.office.squad] if spec.joint else [self.office.office]
            plan = plan_create(
                actor=self.office.manager,
                name=spec.name.format(year=self.workdays[drawn].year),
                units=units,
                items=[self.pool.items[n] for n in spec.items],
                target_filter=spec.target_filter,
                rates=spec.rates,
            )
            plans.append(plan)

        def freeze(when: dt.datetime) -> None:
            plan_freeze(actor=self.office.manager, plan=plans[0], targets=plan_pool(plans[0]))

        self.at(self.moment(drawn - 5, 840, 960), create)
        self.at(self.moment(drawn, 570, 570), freeze)
        self.at(self.moment(drawn, 600, 600), lambda when: self._drawn(spec, plans[0], drawn, when))

    def _drawn(self, spec: PlanSpec, plan: DrawPlan, drawn: int, when: dt.datetime) -> None:
        """The draw's assignments become inspections (the service makes them); each is recorded within the 20
        working days, then the results are published. The current plan's later ones are still to come."""
        draw = plan_draw(actor=self.office.manager, plan=plan, now=when)
        rows = {str(row["id"]): row for row in draw.assigned}
        people = {str(i.pk): i.person for i in self.pool.inspectors}
        last = drawn
        for inspection in Inspection.objects.filter(draw=draw).order_by("pk"):
            target = self.by_pk[inspection.entity_id]
            inspection.entity = target.entity
            row = rows[str(inspection.entity_id)]
            day = drawn + self.rng.randint(1, 17)
            inspectors = [people[p] for p in row["inspectors"]]
            life = Life(
                target, InspectionKind.RANDOM, list(spec.items), inspectors, day, inspection=inspection
            )
            life.drawn_risk = row["risk"]
            self.at(self.moment(day), partial(self._record, life))
            last = max(last, day)

        def publish(when: dt.datetime) -> None:
            draw_publish(actor=self.office.manager, plan=plan, summary=results_summary(draw))

        self.at(self.moment(last + self.rng.randint(1, 2), 600, 690), publish)
