"""The hand-off's steps on the event loop, declared as the loop's own are (`grassroots.events.rules`): who may take
each from which state, and where it moves the event. Written by `events.services.core.commit_step` like every
step, so the event's history, version and audit row are those of the loop.
"""

from grassroots.events import rules
from grassroots.events.choices import Status
from grassroots.workflow.declaration import Workflow
from grassroots.workflow.declaration import move as step

# The route (seed 003) an event handed out is on: `Event.route`, registered in apps.py.
HOTLINE_ROUTE = "hotline"
HAND_OFF, SENT, ACCEPTED, ANSWER, FAILED = (
    "hand_off_12345",
    "hotline_sent",
    "hotline_accepted",
    "answer_12345",
    "hotline_failed",
)
LABELS = {
    HAND_OFF: "转12345",
    SENT: "12345已接收",
    ACCEPTED: "12345已受理",
    ANSWER: "12345答复",
    FAILED: "转12345失败",
}
S, A = Status, rules.A
EVERY = set(Status)
MOVES = [
    # 事权不在本级: a registered event, not yet dispatched, goes out instead of to a unit
    step(HAND_OFF, {S.REGISTERED}, None, A.COMMAND),
    step(SENT, EVERY, None, A.SYSTEM),  # history only: the 12345 side's number
    step(ACCEPTED, EVERY, None, A.SYSTEM),
    step(FAILED, EVERY, None, A.SYSTEM),  # the event stays with the command room, to dispatch as usual
    # The answer is the handling's feedback: on to the check, callback and closing of the loop …
    step(ANSWER, {S.REGISTERED}, S.FED_BACK, A.SYSTEM),
    # … unless the command room moved the event meanwhile: then the answer is recorded and the status kept.
    step(ANSWER, EVERY - {S.REGISTERED}, None, A.SYSTEM),
]
WORKFLOW = Workflow(
    name="event",
    state_label=rules.LOOP.state_label,
    action_labels=rules.ACTION_LABELS,
    moves=MOVES,
)


def register_labels() -> None:
    """The events app names the steps on its pages and in the audit log from `rules.ACTION_LABELS`."""
    rules.ACTION_LABELS.update(LABELS)
