from .applications import Application, ApplicationHistory, CorrectionNotice, InPersonVisit
from .catalogue import ServiceCentre, ServiceItem, ServiceMaterial, Window
from .ratings import Rating, Rectification

__all__ = [
    "Application",
    "ApplicationHistory",
    "CorrectionNotice",
    "Rating",
    "Rectification",
    "ServiceCentre",
    "ServiceItem",
    "ServiceMaterial",
    "InPersonVisit",
    "Window",
]
