"""A workflow declared once: its moves (which action takes a record from which states to which, and who may) and
its steps (for each action, the one input schema, the words for people and the OpenAPI document, the service call,
and the page's form).

From one declaration come the authorisation check (`Workflow.refusal`), the JSON endpoints
(`endpoints.add_step_endpoints`), and the page's forms for exactly the steps the viewer may take now
(`Workflow.allowed`, `StepDecl.form`). The record's write (compare-and-set on version and status, the history row
and the audit row in one transaction) is `commit.commit_step`.

Read `docs/adding-a-workflow.md` for the few steps of declaring one.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ninja import Schema

from grassroots.core.errors import Conflict, Forbidden
from grassroots.people.actors import Actor

from .choices import ClockOp

# -- the moves: the state machine as a table ---------------------------------------------------------------


@dataclass(frozen=True)
class Move:
    """One row of a workflow's table: `action` takes a record in one of `sources` to `target` (None: the state
    does not change, the act is still recorded), when the actor is one of `actors` with respect to the record.
    `clock` says what the move does to the record's clock, for readers and for the generic write."""

    action: str
    sources: frozenset[str]
    target: str | None
    actors: frozenset[str]
    clock: ClockOp | None = None


def move(
    action: str, sources: Iterable[str], target: str | None, *actors: str, clock: ClockOp | None = None
) -> Move:
    return Move(action, frozenset(sources), target, frozenset(actors), clock)


# -- the steps: what each action takes and does ------------------------------------------------------------

# (actor, record, payload, files) → anything: the one service call of a step, the payload in its schema.
Perform = Callable[[Any, Any, Any, list[Any]], Any]


@dataclass(frozen=True)
class StepDecl:
    """One action of a workflow as people and programs take it.

    `perform` is the service call; None means the generic write (`commit_step` to the move's target, with the
    payload's `note`), so a step that needs nothing more is one row. `form` is the page's form class when the step
    needs more than the form made from the schema (choices per record, fields shown by state)."""

    action: str
    schema: type[Schema]
    summary: str  # who may take it, for readers of the OpenAPI document
    perform: Perform | None = None
    multipart: bool = False  # files may come with the fields (multipart/form-data, field `files`)
    files_required: bool = False
    form: type | None = None
    help: Any = ""  # a line above the page's form
    labels: Mapping[str, Any] = field(default_factory=dict)  # the page's label of a schema field
    folded: bool = False  # shown folded on the page: a way out of the normal path
    button: Any = ""  # the submit button's words, when not the action's label


@dataclass(frozen=True)
class Workflow:
    """A workflow: its name (clocks and links find records by it), the label of each state and action, its table of
    moves and its steps. `kinds(record, actor)` tells what the actor is with respect to the record."""

    name: str
    state_label: Callable[[str], str]
    action_labels: dict[str, str]
    moves: Sequence[Move]
    steps: Sequence[StepDecl] = field(default=())
    # How a step without a service of its own is written: (workflow, action, actor, record, payload).
    generic: Callable[["Workflow", str, Any, Any, Any], Any] | None = None

    @property
    def actions(self) -> list[str]:
        return sorted({m.action for m in self.moves})

    def label(self, action: str) -> str:
        return self.action_labels.get(action, action)

    def step(self, action: str) -> StepDecl:
        return next(s for s in self.steps if s.action == action)

    def perform(self, action: str, actor: Actor, record: Any, payload: Any, files: list[Any]) -> Any:
        """Take `action` on `record`, the payload in the step's schema: its service, or the generic write."""
        step = self.step(action)
        if step.perform is not None:
            return step.perform(actor, record, payload, files)
        assert self.generic is not None, (
            f"{self.name}.{action} has no service and the workflow no generic write"
        )
        return self.generic(self, action, actor, record, payload)

    def moves_for(self, action: str, status: str) -> list[Move]:
        return [m for m in self.moves if m.action == action and status in m.sources]

    def allowed(self, status: str, kinds: set[str]) -> list[str]:
        """The actions someone of `kinds` may take on a record in `status`, in the order of the table."""
        seen: list[str] = []
        for m in self.moves:
            if status in m.sources and m.actors & kinds and m.action not in seen:
                seen.append(m.action)
        return seen

    def refusal(self, action: str, status: str, kinds: set[str], *, what: str = "记录") -> str | None:
        """Why `action` is not allowed now, in Chinese; None when it is."""
        candidates = self.moves_for(action, status)
        if not candidates:
            return f"{what}当前状态为“{self.state_label(status)}”，不能执行“{self.label(action)}”"
        if not any(m.actors & kinds for m in candidates):
            return f"您无权对此{what}执行“{self.label(action)}”"
        return None

    def authorize(self, action: str, status: str, kinds: set[str], *, what: str = "记录") -> None:
        """Refuse a move outside the table (409 `invalid_transition`) or by the wrong person (403 `not_permitted`)."""
        reason = self.refusal(action, status, kinds, what=what)
        if reason is None:
            return
        if not self.moves_for(action, status):
            raise Conflict(reason, code="invalid_transition", details={"status": status, "action": action})
        raise Forbidden(reason, code="not_permitted", details={"action": action})

    def targets(self, action: str, status: str) -> set[str | None]:
        return {m.target for m in self.moves_for(action, status)}
