"""The product's settings with one URL swapped for `views.report`: the leanest Django report (see views.py)."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.ceiling.urls"
