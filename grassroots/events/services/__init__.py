"""Every write on events. Each public function is one step of the loop (see `rules.py`)."""

from .closing import event_archive, event_callback, event_check, event_close, event_reopen
from .core import event_generic_step
from .escalation import event_escalate, event_supervise
from .handling import (
    event_decide_extension,
    event_feed_back,
    event_handle,
    event_request_extension,
    event_return,
    event_self_handle,
    event_sign,
)
from .intake import ReportResult, attachments_add, duplicate_candidate_ids, event_report
from .routing import event_decide_route, event_inform_reporter, event_refer_to_leaders, event_settle
from .suspension import event_decide_suspension, event_request_suspension, event_resume
from .triage import event_dispatch, event_merge, event_register, event_verify, event_void

__all__ = [
    "ReportResult",
    "attachments_add",
    "duplicate_candidate_ids",
    "event_archive",
    "event_callback",
    "event_check",
    "event_close",
    "event_decide_extension",
    "event_decide_route",
    "event_decide_suspension",
    "event_dispatch",
    "event_escalate",
    "event_feed_back",
    "event_generic_step",
    "event_handle",
    "event_inform_reporter",
    "event_merge",
    "event_refer_to_leaders",
    "event_register",
    "event_reopen",
    "event_report",
    "event_request_extension",
    "event_request_suspension",
    "event_resume",
    "event_return",
    "event_self_handle",
    "event_settle",
    "event_sign",
    "event_supervise",
    "event_verify",
    "event_void",
]
