"""What the market platform registers when Django starts: its rows in `manage.py seed_figures`."""


def register() -> None:
    from . import seed_rows

    seed_rows.register()
