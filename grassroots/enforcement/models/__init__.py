from .powers import Power

__all__ = ["Power"]
