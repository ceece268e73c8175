from django.db import models
from django.utils.translation import gettext_lazy as _


class DivisionLevel(models.TextChoices):
    DISTRICT = "district", _("区县")  # 6-digit GB/T 2260 code
    TOWNSHIP = "township", _("乡镇街道")  # 9 digits
    VILLAGE = "village", _("村社区")  # 12 digits


class DivisionKind(models.TextChoices):
    DISTRICT = "district", _("区")
    COUNTY = "county", _("县")
    STREET = "street", _("街道")  # township code 001–099
    TOWN = "town", _("镇")  # 100–199
    XIANG = "xiang", _("乡")  # 200–399
    ZONE = "zone", _("开发区")  # 400–599: development zones and farms
    RESIDENTS = "residents", _("居委会")  # village code 001–199
    VILLAGERS = "villagers", _("村委会")  # 200–399


class GridKind(models.TextChoices):
    RURAL = "rural", _("农村网格")  # guideline 150 households
    URBAN = "urban", _("城市网格")  # guideline 300 households


class BaseFeatureKind(models.TextChoices):
    ROAD = "road", _("道路")  # LineString/MultiLineString; `rank` 1 highway … 3 village lane
    WATER = "water", _("水系")  # a river as a line, a lake or pond as a polygon
    BOUNDARY = "boundary", _("村界")  # a village or community outline, drawn dashed with its name
