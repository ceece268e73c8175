from .cases import CaseCounter, CaseDocument, CaseHistory, EnforcementCase, Evidence
from .operations import JointOperation, OperationHistory, OperationTask, OperationUnit
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
    "JointOperation",
    "OperationHistory",
    "OperationTask",
    "OperationUnit",
    "PlanShare",
    "Post",
    "Power",
    "RosterShift",
    "Station",
]
