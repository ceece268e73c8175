from .lists import DeclaredRelation, InspectionItem, Inspector
from .plans import Draw, DrawPlan, PoolSnapshot

__all__ = ["DeclaredRelation", "Draw", "DrawPlan", "InspectionItem", "Inspector", "PoolSnapshot"]
