"""Daily and monthly counts of every indicator count (assessment/indicators.py), per township and day, split by the
keys the figures group by; the marks that say which events changed since they were counted; the watermark.

A figure for whole days is a sum of these rows; `rollups check` proves it equals the figure from the raw rows.
"""

from django.db import models

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


class CountRow(models.Model):
    """One relation's counts for one township and day (or month), for one combination of grain keys."""

    relation = models.CharField(max_length=16)
    region = models.CharField(max_length=9)  # the township's division code (the event's region_code[:9])
    township_id = models.BigIntegerField(null=True)
    village_id = models.BigIntegerField(null=True)
    grid_id = models.BigIntegerField(null=True)
    platform = models.CharField(max_length=16, null=True)
    unit_id = models.BigIntegerField(null=True)  # the task's unit, or the unit answerable for the event

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.relation} {self.region}"


for _name in COUNT_NAMES:
    CountRow.add_to_class(_name, models.IntegerField(default=0))


class DayCount(CountRow):
    day = models.DateField()

    class Meta:
        indexes = [models.Index(fields=["relation", "day", "region"], name="rollups_day_read")]


class MonthCount(CountRow):
    month = models.DateField()  # the first day of the month

    class Meta:
        indexes = [models.Index(fields=["relation", "month", "region"], name="rollups_month_read")]


class Mark(models.Model):
    """An event whose rows changed since its counts were last written: written by database triggers in the same
    transaction as the change (migration 0002), with the timestamps the change overwrote, so the worker knows the
    days the event was counted in before as well as the days it counts in now."""

    event_id = models.BigIntegerField()
    region = models.CharField(max_length=14, null=True)
    t1 = models.DateTimeField(null=True)
    t2 = models.DateTimeField(null=True)
    t3 = models.DateTimeField(null=True)
    t4 = models.DateTimeField(null=True)
    kind = models.CharField(max_length=1, default="e")  # e event, a task, s order, t step

    def __str__(self) -> str:
        return f"{self.kind} {self.event_id}"


class State(models.Model):
    """The watermark: every day up to `through` (local days) is counted, but for the cells pending marks name."""

    through = models.DateField(null=True)

    def __str__(self) -> str:
        return f"汇总至 {self.through}"
