from .abnormal import AbnormalListing
from .entities import Licence, MarketEntity

__all__ = ["AbnormalListing", "Licence", "MarketEntity"]
