"""Assessment pages: indicators and drill-downs, the leader dashboard, schemes and ratings, analysis reports."""

from .dashboard import dashboard, hotspots
from .figures import count, index, indicator
from .reports import report_create, report_detail, report_download, report_list
from .schemes import rating_list, ratings, scheme_list, scheme_publish, scheme_rerun, scheme_results

__all__ = [
    "count",
    "dashboard",
    "hotspots",
    "index",
    "indicator",
    "rating_list",
    "ratings",
    "report_create",
    "report_detail",
    "report_download",
    "report_list",
    "scheme_list",
    "scheme_publish",
    "scheme_rerun",
    "scheme_results",
]
