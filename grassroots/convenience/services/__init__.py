"""Every write of the convenience-service platform."""

from .intake import application_apply, application_forward
from .links import application_complain
from .ratings import application_rate, rectification_contact, rectification_rectify, rectification_review
from .steps import (
    application_accept,
    application_archive,
    application_decide,
    application_deliver,
    application_receive,
    application_record_visit,
    application_reject,
    application_request_correction,
    application_resume,
    application_supply,
    application_suspend,
    application_transfer,
    application_withdraw,
)

__all__ = [
    "application_accept",
    "application_apply",
    "application_archive",
    "application_complain",
    "application_decide",
    "application_deliver",
    "application_forward",
    "application_rate",
    "application_receive",
    "application_record_visit",
    "application_reject",
    "application_request_correction",
    "application_resume",
    "application_supply",
    "application_suspend",
    "application_transfer",
    "application_withdraw",
    "rectification_contact",
    "rectification_rectify",
    "rectification_review",
]
