"""The page's form of each step of the loop that needs more than the form made from its schema (`steps.py`):
choices per event, fields shown by state. Each hands `payload_data()` to the step's schema and service.
"""

from .base import DETAIL_FIELDS, ActionForm, MultipleFileField
from .closing import CallbackForm, CheckForm, EscalateForm, SuperviseForm
from .handling import (
    DecideExtensionForm,
    DecideSuspensionForm,
    ExtensionRequestForm,
    FeedBackForm,
    SelfHandleForm,
    SuspensionRequestForm,
)
from .triage import DecideRouteForm, DispatchForm, MergeForm, RegisterForm, VerifyForm

__all__ = [
    "DETAIL_FIELDS",
    "ActionForm",
    "CallbackForm",
    "CheckForm",
    "DecideExtensionForm",
    "DecideRouteForm",
    "DecideSuspensionForm",
    "DispatchForm",
    "EscalateForm",
    "ExtensionRequestForm",
    "FeedBackForm",
    "MergeForm",
    "MultipleFileField",
    "RegisterForm",
    "SelfHandleForm",
    "SuperviseForm",
    "SuspensionRequestForm",
    "VerifyForm",
]
