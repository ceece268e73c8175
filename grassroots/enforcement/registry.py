"""What the enforcement platform registers when Django starts: a list of small functions, each registering one
thing (its rows in `manage.py seed_figures`, ...), called in turn by `register()`."""

from collections.abc import Callable


def register_seed_rows() -> None:
    from . import seed_rows

    seed_rows.register()


REGISTRATIONS: list[Callable[[], None]] = [register_seed_rows]


def register() -> None:
    for registration in REGISTRATIONS:
        registration()
