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
