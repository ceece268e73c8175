from .abnormal import AbnormalListing
from .entities import Licence, MarketEntity
from .inspections import Finding, Inspection, InspectionHistory, InspectionPhoto, Penalty

__all__ = [
    "AbnormalListing",
    "Finding",
    "Inspection",
    "InspectionHistory",
    "InspectionPhoto",
    "Licence",
    "MarketEntity",
    "Penalty",
]
