"""Daily and monthly counts of every indicator count (assessment/indicators.py), per township and day, split by the
keys the figures group by; the marks that say which events changed since they were counted; the watermark.

A figure for whole days is a sum of these rows; `rollups check` proves it equals the figure from the raw rows.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from grassroots.assessment.indicators import COUNTS, Relation

# The relations whose counts are kept here (meeting tasks are few and counted by their app).
RELATIONS = [
    Relation.EVENT,
    Relation.ASSIGNMENT,
    Relation.VERIFICATION,
    Relation.SUPERVISION,
    Relation.REOPEN,
]
COUNT_NAMES = [name for name, c in COUNTS.items() if c.relation in RELATIONS]


class SummaryRow(models.Model):
    """One relation's counts for one township and day (or month), per platform and unit: the rows an area's totals
    and its township, platform, unit and district groupings are read from. Each is the sum of the detail rows
    (`CountRow`) with the same keys, rewritten whenever they are."""

    relation = models.CharField(_("关系"), max_length=16)
    # the township's division code (the event's region_code[:9])
    region = models.CharField(_("乡镇代码"), max_length=9)
    township_id = models.BigIntegerField(_("乡镇"), null=True)
    platform = models.CharField(_("平台"), max_length=16, null=True)
    # the task's unit, or the unit answerable for the event
    unit_id = models.BigIntegerField(_("单位"), null=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.relation} {self.region}"


for _name in COUNT_NAMES:
    SummaryRow.add_to_class(_name, models.IntegerField(COUNTS[_name].label, default=0))


class CountRow(SummaryRow):
    """The detail rows: split by village and grid as well."""

    village_id = models.BigIntegerField(_("村（社区）"), null=True)
    grid_id = models.BigIntegerField(_("网格"), null=True)

    class Meta:
        abstract = True


def _read_indexes(prefix: str, field: str) -> list[models.Index]:
    return [
        models.Index(fields=["relation", field, "region"], name=f"{prefix}_read"),
        # One township's or district's rows: the region prefix (LIKE '330421%') as a range on PostgreSQL.
        models.Index(
            fields=["relation", "region", field],
            name=f"{prefix}_area",
            opclasses=["varchar_pattern_ops", "varchar_pattern_ops", "date_ops"],
        ),
    ]


class DayCount(CountRow):
    day = models.DateField(_("日期"))

    class Meta:
        verbose_name = _("日汇总")
        verbose_name_plural = _("日汇总")
        indexes = _read_indexes("rollups_day", "day")


class MonthCount(CountRow):
    month = models.DateField(_("月份"))  # the first day of the month

    class Meta:
        verbose_name = _("月汇总")
        verbose_name_plural = _("月汇总")
        indexes = _read_indexes("rollups_month", "month")


class DaySummary(SummaryRow):
    day = models.DateField(_("日期"))

    class Meta:
        verbose_name = _("日汇总（乡镇）")
        verbose_name_plural = _("日汇总（乡镇）")
        indexes = _read_indexes("rollups_dsum", "day")


class MonthSummary(SummaryRow):
    month = models.DateField(_("月份"))  # the first day of the month

    class Meta:
        verbose_name = _("月汇总（乡镇）")
        verbose_name_plural = _("月汇总（乡镇）")
        indexes = _read_indexes("rollups_msum", "month")


class Mark(models.Model):
    """An event whose rows changed since its counts were last written: written by database triggers in the same
    transaction as the change (migration 0002), with the timestamps the change overwrote, so the worker knows the
    days the event was counted in before as well as the days it counts in now."""

    event_id = models.BigIntegerField(_("事件"))
    region = models.CharField(_("区划代码"), max_length=14, null=True)
    t1 = models.DateTimeField(_("原时间一"), null=True)
    t2 = models.DateTimeField(_("原时间二"), null=True)
    t3 = models.DateTimeField(_("原时间三"), null=True)
    t4 = models.DateTimeField(_("原时间四"), null=True)
    kind = models.CharField(_("类别"), max_length=1, default="e")  # e event, a task, s order, t step

    class Meta:
        verbose_name = _("待汇总标记")
        verbose_name_plural = _("待汇总标记")

    def __str__(self) -> str:
        return f"{self.kind} {self.event_id}"


class State(models.Model):
    """The watermark: every day up to `through` (local days) is counted, but for the cells pending marks name."""

    through = models.DateField(_("已汇总至"), null=True)

    class Meta:
        verbose_name = _("汇总水位")
        verbose_name_plural = _("汇总水位")

    def __str__(self) -> str:
        return f"汇总至 {self.through}"
