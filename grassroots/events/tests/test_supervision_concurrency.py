"""Two people issuing the same 督办 on one event at the same moment (PostgreSQL, real connections): one order
stands, the other person is told an order of that kind is already open."""

from collections.abc import Callable

from grassroots.core.errors import Conflict
from grassroots.events import services as s
from grassroots.events.choices import SupervisionKind
from grassroots.events.models import Event, SupervisionOrder, Transition
from grassroots.events.services.escalation import SUPERVISION_OPEN
from grassroots.people.choices import Role
from grassroots.people.models import Person

from .test_concurrency import committed, contend, make_places, needs_postgresql, registered_event


@needs_postgresql
@committed
def test_two_concurrent_supervision_orders_of_one_kind_one_stands_and_the_other_is_told_why():
    p = make_places()
    leader = Person.objects.create_user(
        username="leo", password="Secret@2026", name="林书记", role=Role.LEADER, division=p["township"]
    )
    for round_no in range(5):
        event = registered_event(p, f"并发督办 {round_no}")
        s.event_dispatch(actor=p["oscar"], event=event, lead_unit_id=p["agency"].pk)

        def order(i: int, start: Callable[[], None], pk: int = event.pk) -> SupervisionOrder:
            mine = Event.objects.select_related("event_type").get(pk=pk)
            start()
            return s.event_supervise(
                actor=[p["oscar"], leader][i], event=mine, kind=SupervisionKind.SUPERVISE, note="请加快"
            )

        results = contend(2, order)

        losers = [r for r in results if isinstance(r, BaseException)]
        assert len(losers) == 1, results
        assert isinstance(losers[0], Conflict) and losers[0].code == SUPERVISION_OPEN, repr(losers[0])
        assert SupervisionOrder.objects.filter(event_id=event.pk).count() == 1
        assert Transition.objects.filter(event_id=event.pk, action="supervise").count() == 1
