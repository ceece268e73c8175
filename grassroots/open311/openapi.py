"""The OpenAPI 3 document of the GeoReport v2 endpoints in their JSON format (docs/open311-openapi.json).

Written by hand from the views in views/georeport.py, because they are plain Django views; `manage.py
export_openapi` writes it next to the API's document and CI checks both are current. Schemathesis fuzzes the
committed file (grassroots/open311/tests/test_fuzz_open311.py): every status a view or the edge can answer is
listed here, and every error is the spec's list of {code, description}.
"""

from typing import Any

from .views.georeport import CHANGESET

BASE = "/open311/v2"
# Statuses any endpoint can answer: 400 for bad parameters or a method the endpoint does not take (the spec has
# no 405), 413 from the edge for a body over REQUEST_MAX_BYTES, 404 for an unknown jurisdiction.
EVERYWHERE = ("400", "404", "413")
DESCRIPTIONS = {
    "200": "成功",
    "201": "已创建",
    "400": "参数错误（Open311 错误列表）",
    "403": "缺少或无效的 api_key",
    "404": "辖区、服务、请求或令牌不存在",
    "413": "请求体过大",
    "429": "超过客户端的频率限制（见 Retry-After）",
}


def _string(description: str, **extra: Any) -> dict[str, Any]:
    return {"type": "string", "description": description, **extra}


NULLABLE_STRING = {"type": "string", "nullable": True}
SCHEMAS: dict[str, Any] = {
    "Errors": {
        "type": "array",
        "items": {
            "type": "object",
            "required": ["code", "description"],
            "properties": {"code": {"type": "integer"}, "description": {"type": "string"}},
        },
    },
    "Discovery": {
        "type": "object",
        "required": ["changeset", "contact", "key_service", "endpoints"],
        "properties": {
            "changeset": {"type": "string"},
            "contact": {"type": "string"},
            "key_service": {"type": "string"},
            "endpoints": {"type": "array", "items": {"type": "object"}},
        },
    },
    "Services": {
        "type": "array",
        "items": {
            "type": "object",
            "required": ["service_code", "service_name", "metadata", "type"],
            "properties": {
                "service_code": {"type": "string"},
                "service_name": {"type": "string"},
                "description": {"type": "string"},
                "metadata": {"type": "boolean"},
                "type": {"type": "string", "enum": ["realtime", "batch", "blackbox"]},
                "keywords": {"type": "string"},
                "group": {"type": "string"},
            },
        },
    },
    "ServiceDefinition": {
        "type": "object",
        "required": ["service_code", "attributes"],
        "properties": {"service_code": {"type": "string"}, "attributes": {"type": "array", "items": {}}},
    },
    "Requests": {
        "type": "array",
        "items": {
            "type": "object",
            "required": ["service_request_id"],
            "properties": {
                "service_request_id": {"type": "string"},
                "status": {"type": "string", "enum": ["open", "closed"]},
                "status_notes": NULLABLE_STRING,
                "service_name": {"type": "string"},
                "service_code": {"type": "string"},
                "description": NULLABLE_STRING,
                "agency_responsible": NULLABLE_STRING,
                "service_notice": NULLABLE_STRING,
                "requested_datetime": NULLABLE_STRING,
                "updated_datetime": NULLABLE_STRING,
                "expected_datetime": NULLABLE_STRING,
                "address": NULLABLE_STRING,
                "address_id": NULLABLE_STRING,
                "zipcode": NULLABLE_STRING,
                "lat": {"type": "number", "nullable": True},
                "long": {"type": "number", "nullable": True},
                "media_url": NULLABLE_STRING,
                "account_id": NULLABLE_STRING,
                "token": {"type": "string"},
            },
        },
    },
    "Updates": {
        "type": "array",
        "items": {
            "type": "object",
            "required": ["update_id", "service_request_id", "status", "updated_datetime"],
            "properties": {
                "update_id": {"type": "integer"},
                "service_request_id": {"type": "string"},
                "status": {"type": "string"},
                "updated_datetime": {"type": "string"},
                "description": NULLABLE_STRING,
                "media_url": NULLABLE_STRING,
                "external_status_code": {"type": "string"},
            },
        },
    },
}
JURISDICTION = {
    "name": "jurisdiction_id",
    "in": "query",
    "schema": _string("辖区代码（区县）；只有一个辖区时可省略"),
}
WINDOW = [
    {"name": "start_date", "in": "query", "schema": _string("起始时间（ISO 8601）", format="date-time")},
    {"name": "end_date", "in": "query", "schema": _string("截止时间（ISO 8601）", format="date-time")},
]


def _operation(summary: str, ok: str, schema: str, *, params: list[Any], extra: tuple[str, ...] = ()) -> Any:
    error = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Errors"}}}}
    responses: dict[str, Any] = {
        ok: {
            "description": DESCRIPTIONS[ok],
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
        }
    }
    for status in (*EVERYWHERE, *extra):
        responses[status] = {"description": DESCRIPTIONS[status], **error}
    return {"summary": summary, "parameters": params, "responses": responses}


def _path_param(name: str, description: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": _string(description, pattern=r"^[^/.]+$")}


SUBMISSION = {
    "type": "object",
    "required": ["api_key", "service_code"],
    "properties": {
        "api_key": _string("客户端的 API 密钥"),
        "jurisdiction_id": _string("辖区代码"),
        "service_code": _string("服务代码（事件类型）"),
        "lat": _string("纬度（WGS-84）"),
        "long": _string("经度（WGS-84）"),
        "address_string": _string("地址"),
        "address_id": _string("地址编号"),
        "email": _string("电子邮件"),
        "device_id": _string("设备编号"),
        "account_id": _string("账号"),
        "first_name": _string("名"),
        "last_name": _string("姓"),
        "phone": _string("电话"),
        "description": _string("问题描述"),
        "media_url": _string("图片链接"),
        "idempotency_key": _string("幂等键（也可用请求头 Idempotency-Key）"),
    },
}


def open311_document() -> dict[str, Any]:
    submit = _operation("提交服务请求", "201", "Requests", params=[], extra=("403", "429"))
    submit["responses"]["200"] = {
        "description": "同一幂等键的重复提交：返回第一次的结果",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Requests"}}},
    }
    submit["parameters"] = [{"name": "Idempotency-Key", "in": "header", "schema": _string("幂等键")}]
    submit["requestBody"] = {
        "required": True,
        "content": {"application/x-www-form-urlencoded": {"schema": SUBMISSION}},
    }
    filters = [
        {"name": "service_request_id", "in": "query", "schema": _string("请求编号，逗号分隔")},
        {"name": "service_code", "in": "query", "schema": _string("服务代码，逗号分隔")},
        *WINDOW,
        {"name": "status", "in": "query", "schema": _string("open 或 closed，逗号分隔")},
    ]
    paths = {
        "/discovery.json": {"get": _operation("服务发现", "200", "Discovery", params=[])},
        "/services.json": {"get": _operation("服务列表", "200", "Services", params=[JURISDICTION])},
        "/services/{service_code}.json": {
            "get": _operation(
                "服务定义",
                "200",
                "ServiceDefinition",
                params=[_path_param("service_code", "服务代码"), JURISDICTION],
            )
        },
        "/requests.json": {
            "get": _operation("查询服务请求", "200", "Requests", params=[JURISDICTION, *filters]),
            "post": submit,
        },
        "/requests/{request_id}.json": {
            "get": _operation(
                "一个服务请求",
                "200",
                "Requests",
                params=[_path_param("request_id", "请求编号"), JURISDICTION],
            )
        },
        "/tokens/{token}.json": {
            "get": _operation(
                "由令牌查请求编号", "200", "Requests", params=[_path_param("token", "令牌"), JURISDICTION]
            )
        },
        "/servicerequestupdates.json": {
            "get": _operation(
                "服务请求的进展",
                "200",
                "Updates",
                params=[
                    JURISDICTION,
                    *WINDOW,
                    {"name": "service_request_id", "in": "query", "schema": _string("请求编号，逗号分隔")},
                ],
            )
        },
    }
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Grassroots Open311 GeoReport v2",
            "version": CHANGESET,
            "description": "GeoReport v2 的 JSON 格式（XML 格式的路径相同，扩展名为 .xml）。",
        },
        "servers": [{"url": BASE}],
        "paths": paths,
        "components": {"schemas": SCHEMAS},
    }
