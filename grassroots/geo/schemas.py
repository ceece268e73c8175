"""GeoJSON answers of the geography API (/api/v1/divisions, /api/v1/grids): RFC 7946 features in WGS-84."""

import datetime as dt
from typing import Any, Literal

from ninja import Field, Schema

MAX_PAGE = 200


class GeoDivisionPropertiesOut(Schema):
    id: int
    code: str = Field(description="区划代码：区县 6 位、乡镇街道 9 位、村社区 12 位")
    name: str
    level: str = Field(description="district / township / village")
    level_label: str
    kind: str
    kind_label: str
    parent_code: str | None
    valid_from: dt.date
    valid_to: dt.date | None
    grids: int = Field(description="辖内网格数")


class GeoDivisionFeatureOut(Schema):
    type: Literal["Feature"] = "Feature"
    id: int
    geometry: dict[str, Any] | None = Field(
        description="辖内网格边界的并集（MultiPolygon/Polygon）；无网格时为空"
    )
    properties: GeoDivisionPropertiesOut


class GeoDivisionCollectionOut(Schema):
    type: Literal["FeatureCollection"] = "FeatureCollection"
    features: list[GeoDivisionFeatureOut]
    next: str | None = Field(description="下一页游标；为空表示没有更多")


class GeoDivisionQuery(Schema):
    level: Literal["district", "township", "village"] | None = Field(None, description="只列出这一层级")
    parent: str = Field("", pattern=r"^(\d{6}|\d{9})?$", description="上级区划代码：只列出其直接下级")
    q: str = Field("", max_length=50, description="名称（包含）或代码（前缀）")
    current: bool = Field(True, description="true：只列现行代码；false：含已失效的代码")
    geometry: bool = Field(True, description="false：不计算边界（只要属性时更快）")
    cursor: str | None = Field(None, description="上一页返回的 next")
    limit: int = Field(50, ge=1, le=MAX_PAGE)


class GeoGridPropertiesOut(Schema):
    id: int
    code: str = Field(description="网格代码（14 位）")
    name: str
    kind: str = Field(description="rural / urban")
    kind_label: str
    households: int
    village_code: str
    village_name: str
    township_code: str
    label: list[float] = Field(description="标注点 [经度, 纬度]（在网格内）")
    updated_at: dt.datetime


class GeoGridFeatureOut(Schema):
    type: Literal["Feature"] = "Feature"
    id: int
    bbox: list[float] = Field(description="[西, 南, 东, 北]")
    geometry: dict[str, Any] = Field(description="Polygon 或 MultiPolygon，WGS-84 经纬度")
    properties: GeoGridPropertiesOut


class GeoGridCollectionOut(Schema):
    type: Literal["FeatureCollection"] = "FeatureCollection"
    features: list[GeoGridFeatureOut]
    next: str | None = Field(description="下一页游标；为空表示没有更多")


class GeoGridQuery(Schema):
    village: str = Field("", pattern=r"^(\d{12})?$", description="村社区代码（12 位）")
    township: str = Field("", pattern=r"^(\d{9})?$", description="乡镇街道代码（9 位）")
    q: str = Field("", max_length=50, description="名称（包含）或代码（前缀）")
    cursor: str | None = Field(None, description="上一页返回的 next")
    limit: int = Field(50, ge=1, le=MAX_PAGE)
