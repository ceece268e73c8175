from .cases import CaseCounter, CaseDocument, CaseHistory, EnforcementCase, Evidence
from .powers import Power

__all__ = ["CaseCounter", "CaseDocument", "CaseHistory", "EnforcementCase", "Evidence", "Power"]
