from .cases import CaseCounter, CaseDocument, CaseHistory, EnforcementCase, Evidence
from .plans import (
    DailyReport,
    DailyReportPhoto,
    EvidenceReceipt,
    InspectionPlan,
    PlanShare,
    Post,
    RosterShift,
    Station,
)
from .powers import Power

__all__ = [
    "CaseCounter",
    "CaseDocument",
    "CaseHistory",
    "DailyReport",
    "DailyReportPhoto",
    "EnforcementCase",
    "Evidence",
    "EvidenceReceipt",
    "InspectionPlan",
    "PlanShare",
    "Post",
    "Power",
    "RosterShift",
    "Station",
]
