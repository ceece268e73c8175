from .applications import Application, ApplicationHistory, CorrectionNotice, InPersonVisit
from .catalogue import ServiceCentre, ServiceItem, ServiceMaterial, Window
from .ratings import Rating, Rectification

__all__ = [
    "Application",
    "ApplicationHistory",
    "CorrectionNotice",
    "InPersonVisit",
    "Rating",
    "Rectification",
    "ServiceCentre",
    "ServiceItem",
    "ServiceMaterial",
    "Window",
]
