from .cases import CaseCounter, CaseDocument, CaseHistory, EnforcementCase, Evidence
from .operations import JointOperation, OperationHistory, OperationTask, OperationUnit
from .powers import Power

__all__ = [
    "CaseCounter",
    "CaseDocument",
    "CaseHistory",
    "EnforcementCase",
    "Evidence",
    "JointOperation",
    "OperationHistory",
    "OperationTask",
    "OperationUnit",
    "Power",
]
