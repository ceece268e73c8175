"""Administrative divisions, grids (DOMAIN.md §3) and the features of the base map drawn under them."""

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import BaseFeatureKind, DivisionKind, DivisionLevel, GridKind
from .codes import township_of


class Division(models.Model):
    """An administrative division (行政区划): district, township/street or village/community."""

    code = models.CharField(_("区划代码"), max_length=12, db_index=True)
    name = models.CharField(_("名称"), max_length=100)
    level = models.CharField(_("层级"), max_length=16, choices=DivisionLevel.choices)
    kind = models.CharField(_("类型"), max_length=16, choices=DivisionKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级区划"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Codes change yearly (GB/T 2260 releases); an old code keeps its row with valid_to set.
    valid_from = models.DateField(_("生效日期"), default=dt.date(2000, 1, 1))
    valid_to = models.DateField(_("失效日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                condition=models.Q(valid_to__isnull=True),
                name="division_code_current_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"


class Grid(models.Model):
    """A grid (单元网格): the smallest unit of territory, with a polygon and a team."""

    code = models.CharField(_("网格代码"), max_length=14, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    village = models.ForeignKey(
        Division, verbose_name=_("所属村社区"), on_delete=models.PROTECT, related_name="grids"
    )
    kind = models.CharField(_("类型"), max_length=8, choices=GridKind.choices, default=GridKind.RURAL)
    households = models.PositiveIntegerField(_("户数"), default=0)
    # A GeoJSON Polygon or MultiPolygon in WGS-84 longitude/latitude.
    boundary = models.JSONField(_("边界"))
    # Bounding box and a point inside, kept with the boundary for maps and quick filters.
    min_lon = models.FloatField(_("最小经度"), default=0)
    min_lat = models.FloatField(_("最小纬度"), default=0)
    max_lon = models.FloatField(_("最大经度"), default=0)
    max_lat = models.FloatField(_("最大纬度"), default=0)
    label_lon = models.FloatField(_("标注经度"), default=0)
    label_lat = models.FloatField(_("标注纬度"), default=0)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("网格")
        verbose_name_plural = _("网格")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"

    @property
    def township_code(self) -> str:
        return township_of(self.code)


class BaseFeature(models.Model):
    """A feature of the base map (底图要素): a road, a river or lake, a village boundary.

    Drawn under the grid outlines when no tile server is configured, so a map on a closed network still reads
    like a map. Stored like grid boundaries: GeoJSON in WGS-84 with the bounding box beside it for bbox queries.
    """

    kind = models.CharField(_("类型"), max_length=16, choices=BaseFeatureKind.choices)
    name = models.CharField(_("名称"), max_length=100, blank=True)
    # Smaller is more important: roads 1 expressway/national road, 2 county/township road, 3 village road or street.
    rank = models.PositiveSmallIntegerField(_("等级"), default=2)
    # The division the feature belongs to (a village for its boundary); deleting the division removes it.
    division = models.ForeignKey(
        Division,
        verbose_name=_("所属区划"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="base_features",
    )
    # A GeoJSON LineString, MultiLineString, Polygon or MultiPolygon in WGS-84 longitude/latitude.
    geometry = models.JSONField(_("几何"))
    min_lon = models.FloatField(_("最小经度"), default=0)
    min_lat = models.FloatField(_("最小纬度"), default=0)
    max_lon = models.FloatField(_("最大经度"), default=0)
    max_lat = models.FloatField(_("最大纬度"), default=0)
    # Where the name is written, and for a line the angle of the text in degrees (counter-clockwise, -90..90).
    label_lon = models.FloatField(_("标注经度"), default=0)
    label_lat = models.FloatField(_("标注纬度"), default=0)
    label_angle = models.FloatField(_("标注角度"), default=0)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("底图要素")
        verbose_name_plural = _("底图要素")
        ordering = ["kind", "rank", "id"]
        indexes = [models.Index(fields=["min_lon", "max_lon"], name="basefeature_lon_range")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.name}".strip()
