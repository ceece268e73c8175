"""Checks on what the public sends: script in text, attribute answers by datatype, dates, and places."""

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone

from grassroots.core.edge import check_year
from grassroots.core.errors import InvalidInput
from grassroots.core.masking import mask_name
from grassroots.events.models import EventType

from .choices import Datatype
from .models import ServiceAttribute

# Markup that only a script injection needs: refused outright rather than silently cleaned, so the sender knows.
SCRIPT_PATTERN = re.compile(r"<\s*/?\s*script|javascript\s*:|vbscript\s*:|\bon[a-z]+\s*=|<\s*iframe", re.I)
MAX_STRING = 200
MAX_TEXT = 4000


def reject_script(fields: Mapping[str, str]) -> None:
    """InvalidInput naming the fields that carry script or event-handler markup."""
    bad = {
        name: "不能包含脚本或网页代码"
        for name, value in fields.items()
        if value and SCRIPT_PATTERN.search(value)
    }
    if bad:
        raise InvalidInput(
            "提交内容包含不允许的脚本或网页代码（如 <script>、javascript:、onclick=），请删除后重试",
            code="script_rejected",
            details=bad,
        )


def parse_datetime(value: str, *, field: str) -> dt.datetime:
    """An ISO 8601 date or datetime; without an offset it is local time (Asia/Shanghai)."""
    # An unencoded "+08:00" in a query string arrives as " 08:00".
    text = re.sub(r"(T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?) (\d{2}:?\d{2})$", r"\1+\2", value.strip())
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"{field} 不是有效的 ISO 8601 时间（例如 2026-01-15T09:30:00+08:00）") from None
    check_year(parsed, field=field)
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


ATTRIBUTE_KEY = re.compile(r"^attribute\[([^\[\]]+)\](\[\])?$")


def raw_attributes(params: Any) -> dict[str, list[str]]:
    """`attribute[CODE]=v` and `attribute[CODE][]=a&attribute[CODE][]=b` as {code: [values]}."""
    raw: dict[str, list[str]] = {}
    for key in params:
        match = ATTRIBUTE_KEY.match(key)
        if match:
            raw.setdefault(match.group(1), []).extend(params.getlist(key))
    return raw


def attributes_of(event_type: EventType) -> list[ServiceAttribute]:
    return list(ServiceAttribute.objects.filter(event_type=event_type).order_by("order"))


def clean_attributes(
    attributes: Sequence[ServiceAttribute], raw: Mapping[str, Sequence[str]]
) -> dict[str, Any]:
    """The answers to a service's questions, checked by datatype, from `{code: [values...]}`.

    Unknown codes and answers to informational (non-variable) attributes are refused: a client that sends them
    has the wrong service definition.
    """
    by_code = {a.code: a for a in attributes if a.variable}
    errors: dict[str, str] = {}
    for code in raw:
        if code not in by_code:
            errors[f"attribute[{code}]"] = "该服务没有这个属性"
    answers: dict[str, Any] = {}
    for code, attribute in by_code.items():
        values = [v.strip() for v in raw.get(code, []) if v is not None and v.strip()]
        name = f"attribute[{code}]"
        if not values:
            if attribute.required:
                errors[name] = f"必填：{attribute.description}"
            continue
        try:
            answers[code] = _clean_value(attribute, values)
        except ValueError as exc:
            errors[name] = str(exc)
    if errors:
        raise InvalidInput("补充信息不完整或有误，请按提示修改", code="invalid_attribute", details=errors)
    return answers


def _clean_value(attribute: ServiceAttribute, values: list[str]) -> Any:
    kind = attribute.datatype
    if kind != Datatype.MULTIVALUELIST and len(values) > 1:
        raise ValueError("只能填写一个值")
    value = values[0]
    if kind == Datatype.STRING:
        if len(value) > MAX_STRING or "\n" in value:
            raise ValueError(f"应为不超过 {MAX_STRING} 字的单行文本")
        return value
    if kind == Datatype.TEXT:
        if len(value) > MAX_TEXT:
            raise ValueError(f"不能超过 {MAX_TEXT} 字")
        return value
    if kind == Datatype.NUMBER:
        try:
            number = Decimal(value)
        except InvalidOperation:
            raise ValueError("应为数字") from None
        if not number.is_finite():
            raise ValueError("应为数字")
        return int(number) if number == number.to_integral_value() else float(number)
    if kind == Datatype.DATETIME:
        try:
            return parse_datetime(value, field="value").isoformat()
        except InvalidInput:
            raise ValueError("应为 ISO 8601 日期时间，例如 2026-01-15T21:30:00+08:00") from None
    allowed = attribute.value_names()
    unknown = [v for v in values if v not in allowed]
    if unknown:
        raise ValueError(f"不在可选值中：{', '.join(unknown)}（可选 {', '.join(allowed)}）")
    if kind == Datatype.SINGLEVALUELIST:
        return value
    return list(dict.fromkeys(values))


def attributes_summary(attributes: Sequence[ServiceAttribute], answers: Mapping[str, Any]) -> str:
    """The answers as lines a person reads on the event ("尺寸：1–5 平方米")."""
    lines = []
    for attribute in attributes:
        if attribute.code not in answers:
            continue
        value = answers[attribute.code]
        names = attribute.value_names()
        if isinstance(value, list):
            shown = "、".join(names.get(str(v), str(v)) for v in value)
        elif names:
            shown = names.get(str(value), str(value))
        elif attribute.datatype == Datatype.DATETIME:
            shown = f"{timezone.localtime(dt.datetime.fromisoformat(value)):%Y-%m-%d %H:%M}"
        else:
            shown = str(value)
        lines.append(f"{attribute.description}：{shown}")
    return "\n".join(lines)


PHONE_PATTERN = re.compile(r"(?<!\d)(1[3-9]\d)[\s-]?(\d{4})[\s-]?(\d{4})(?!\d)")
ID_PATTERN = re.compile(r"(?<![0-9A-Za-z])(\d{6})(\d{8})(\d{3}[\dXx])(?![0-9A-Za-z])")
EMAIL_PATTERN = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
LANDLINE_PATTERN = re.compile(r"(?<!\d)0\d{2,3}-?\d{7,8}(?!\d)")


def redact(text: str, *, names: Sequence[str] = ()) -> str:
    """Text for publication with phone numbers, ID numbers, e-mail addresses and the given names masked.

    Citizens sometimes put their own name or number in the description; the public endpoints never show them.
    """
    if not text:
        return text
    for name in sorted({n.strip() for n in names if len(n.strip()) >= 2}, key=len, reverse=True):
        text = text.replace(name, mask_name(name))
    text = ID_PATTERN.sub(lambda m: m.group(1)[:3] + "*" * 11 + m.group(3)[-4:], text)
    text = PHONE_PATTERN.sub(lambda m: f"{m.group(1)}****{m.group(3)}", text)
    text = LANDLINE_PATTERN.sub("***", text)
    return EMAIL_PATTERN.sub("***@***", text)
