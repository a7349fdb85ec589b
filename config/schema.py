"""What the OpenAPI schema (drf-spectacular) cannot infer from the views and serializers.

- Errors: every operation documents the API's one error shape, the ``Error`` component
  (``{"code", "message", "fields"}``, cases.errors), under each status it can answer with:
  400 and 406 always; 401 and 403 where a token is needed, and then 404 where the request names
  something to look up and 409 where it asks for a change; 413 and 415 where a request body is
  read; 429 where the view is throttled (the login).
- Bounds: year inputs carry their range, and the whole-number list filters are integers with
  the bounds they enforce (drf-spectacular documents them as unbounded numbers). Dates with a
  bound (none before 2008-05-01, cases.limits) get a pattern that admits exactly the dates in
  range: OpenAPI 3.0 has no minimum or maximum for strings. Decimals sent as strings need a
  digit.

settings.SPECTACULAR_SETTINGS names this module's generator, so that the extensions below are
registered before the first schema is generated, and its postprocessing hook.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.urls import Resolver404, resolve
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.generators import SchemaGenerator as BaseSchemaGenerator

from cases import filters, limits

ERROR_COMPONENT = "Error"
ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "接口的错误响应（所有错误均为此格式）",
    "properties": {
        "code": {
            "type": "string",
            "description": "稳定的错误代码，供程序判断，例如 invalid、not_authenticated、"
            "authentication_failed、permission_denied、not_found、not_acceptable、"
            "unsupported_media_type、payload_too_large、transition_not_allowed、"
            "concurrent_change、throttled、locked_out",
        },
        "message": {"type": "string", "description": "给用户看的说明"},
        "fields": {
            "type": "object",
            "additionalProperties": {},
            "description": "按字段说明输入错误：字段名 -> 说明（文字，或列表、对象）；无则为空对象",
        },
        "unlock_at": {
            "type": "string",
            "format": "date-time",
            "description": "仅 locked_out：登录锁定的解除时间",
        },
    },
    "required": ["code", "message", "fields"],
}
ERROR_DESCRIPTIONS = {
    "400": "请求有误：参数或请求内容无效（fields 按字段说明）",
    "401": "未认证：缺少令牌，或令牌无效、已过期",
    "403": "无权执行该操作",
    "404": "资源不存在，或不在本人可见范围内",
    "406": "无法提供 Accept 请求头要求的格式",
    "409": "与当前状态冲突：办理状态不允许该操作，或版本号（version）已变化",
    "413": "请求内容过大",
    "415": "不支持该请求内容类型（Content-Type）",
    "429": "请求过于频繁，或登录失败次数过多已被暂时锁定",
}
UNSAFE_METHODS = {"post", "put", "patch", "delete"}
HTTP_METHODS = UNSAFE_METHODS | {"get", "head", "options", "trace"}


class SchemaGenerator(BaseSchemaGenerator):
    """drf-spectacular's generator; named in the settings so that importing it registers the
    extensions of this module before any schema is generated."""


class YearFieldExtension(OpenApiSerializerFieldExtension):
    """A year input: from the Regulations' first year to next year (the bound moves)."""

    target_class = "cases.serializers.YearField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        return {"type": "integer", "minimum": limits.FIRST_YEAR, "maximum": limits.latest_year()}


def _digits_between(low: str, high: str) -> str:
    """A regex matching the digit strings as long as ``low`` from ``low`` to ``high``."""
    if low == high:
        return low
    if low[0] == high[0]:
        return low[0] + _group(_digits_between(low[1:], high[1:]))
    rest = len(low) - 1
    alternatives = []
    # Leading digits whose every continuation is in range: a block of whole tens (hundreds…).
    first, last = int(low[0]) + 1, int(high[0]) - 1
    if low[1:] == "0" * rest:
        first -= 1
    else:
        alternatives.append(low[0] + _group(_digits_between(low[1:], "9" * rest)))
    whole_last = high[1:] == "9" * rest
    if whole_last:
        last += 1
    if first <= last:
        alternatives.append(_digit_class(str(first), str(last)) + _any_digits(rest))
    if not whole_last:
        alternatives.append(high[0] + _group(_digits_between("0" * rest, high[1:])))
    return "|".join(alternatives)


def _digit_class(low: str, high: str) -> str:
    if low == high:
        return low
    return r"\d" if (low, high) == ("0", "9") else f"[{low}-{high}]"


def _any_digits(count: int) -> str:
    return {0: "", 1: r"\d"}.get(count, rf"\d{{{count}}}")


def _group(pattern: str) -> str:
    return f"(?:{pattern})" if "|" in pattern else pattern


# Each part of a date (year, month, day) ranges over these; the format (date) rules out the days
# a month does not have.
_DATE_FLOOR = ["0001", "01", "01"]
_DATE_CEILING = ["9999", "12", "31"]


def _parts_between(low: list[str], high: list[str], floor: list[str], ceiling: list[str]) -> str:
    """Alternatives for the dates (as year, month, day parts) from ``low`` to ``high``."""
    if len(low) == 1:
        return _digits_between(low[0], high[0])

    def rest(rest_low: list[str], rest_high: list[str]) -> str:
        return _group(_parts_between(rest_low, rest_high, floor[1:], ceiling[1:]))

    if low[0] == high[0]:
        return f"{low[0]}-{rest(low[1:], high[1:])}"
    width = len(low[0])
    alternatives = []
    # The first part's values whose every rest is in range: a block of whole years (months).
    first, last = int(low[0]) + 1, int(high[0]) - 1
    if low[1:] == floor[1:]:
        first -= 1
    else:
        alternatives.append(f"{low[0]}-{rest(low[1:], ceiling[1:])}")
    whole_last = high[1:] == ceiling[1:]
    if whole_last:
        last += 1
    if first <= last:
        block = _digits_between(str(first).zfill(width), str(last).zfill(width))
        alternatives.append(f"{_group(block)}-{rest(floor[1:], ceiling[1:])}")
    if not whole_last:
        alternatives.append(f"{high[0]}-{rest(floor[1:], high[1:])}")
    return "|".join(alternatives)


def date_pattern(first: dt.date | None, last: dt.date | None) -> str:
    """A regex for the YYYY-MM-DD dates from ``first`` to ``last`` (both included)."""
    first, last = first or dt.date(1, 1, 1), last or dt.date.max
    low, high = first.isoformat().split("-"), last.isoformat().split("-")
    return f"^(?:{_parts_between(low, high, _DATE_FLOOR, _DATE_CEILING)})$"


def _date_bounds(validators) -> tuple[dt.date | None, dt.date | None]:
    first = last = None
    for validator in validators:
        limit = validator.limit_value
        limit = limit() if callable(limit) else limit
        if not isinstance(limit, dt.date) or isinstance(limit, dt.datetime):
            continue
        if isinstance(validator, MinValueValidator):
            first = max(first, limit) if first else limit
        elif isinstance(validator, MaxValueValidator):
            last = min(last, limit) if last else limit
    return first, last


class BoundedDateFieldExtension(OpenApiSerializerFieldExtension):
    """A date input with a lower or upper bound (validators) gets the pattern of its range."""

    target_class = "rest_framework.fields.DateField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        first, last = _date_bounds(self.target.validators)
        if first or last:
            schema["pattern"] = date_pattern(first, last)
        return schema


class DecimalFieldExtension(OpenApiSerializerFieldExtension):
    """A decimal sent as a string: at least one digit (drf-spectacular's pattern admits "")."""

    target_class = "rest_framework.fields.DecimalField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        field = self.target
        schema = auto_schema._map_serializer_field(field, direction, bypass_extensions=True)
        if "pattern" in schema and field.max_whole_digits and field.decimal_places:
            whole, places = field.max_whole_digits, field.decimal_places
            number = rf"\d{{1,{whole}}}(?:\.\d{{0,{places}}})?|\.\d{{1,{places}}}"
            schema["pattern"] = rf"^-?(?:{number})$"
        return schema


class BoundedFilterExtension(DjangoFilterExtension):
    """django-filter's parameters, with whole-number filters as bounded integers and bounded
    dates with the pattern of their range."""

    priority = 1

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        parameters = super().resolve_filter_field(
            auto_schema, model, filterset_class, field_name, filter_field
        )
        field_class = getattr(filter_field, "field_class", None)
        if any(parameter["schema"].get("format") == "date" for parameter in parameters):
            _add_date_pattern(parameters, filter_field.field)
            return parameters
        if not (isinstance(field_class, type) and issubclass(field_class, forms.IntegerField)):
            return parameters
        schema: dict[str, Any] = {"type": "integer"}
        if issubclass(field_class, filters.YearField):
            schema.update(minimum=limits.FIRST_YEAR, maximum=limits.latest_year())
        for keyword, name in (("min_value", "minimum"), ("max_value", "maximum")):
            if filter_field.extra.get(keyword) is not None:
                schema[name] = filter_field.extra[keyword]
        for parameter in parameters:
            parameter["schema"] = {
                **{k: v for k, v in parameter["schema"].items() if k not in ("type", "format")},
                **schema,
            }
        return parameters


def _add_date_pattern(parameters: list[dict[str, Any]], form_field: forms.Field) -> None:
    # A date range filter (…_after, …_before) validates each date with its own field.
    fields = getattr(form_field, "fields", None) or [form_field]
    first, last = _date_bounds([v for field in fields for v in field.validators])
    if first or last:
        for parameter in parameters:
            parameter["schema"] = {**parameter["schema"], "pattern": date_pattern(first, last)}


def _view_class(path: str):
    """The view behind a schema path (parameters filled in), with the action's overrides."""
    try:
        match = resolve(re.sub(r"\{[^}]+\}", "1", path))
    except Resolver404:
        return None, {}
    return getattr(match.func, "cls", None), getattr(match.func, "initkwargs", {}) or {}


def _is_throttled(path: str) -> bool:
    view_class, initkwargs = _view_class(path)
    if view_class is None:
        return False
    return bool(initkwargs.get("throttle_classes", view_class.throttle_classes))


def _error_statuses(path: str, method: str, operation: dict[str, Any]) -> list[str]:
    security = operation.get("security") or [{}]
    needs_token = {} not in security
    has_body = "requestBody" in operation
    statuses = ["400", "406"]
    if needs_token:
        statuses += ["401", "403"]
        if has_body or operation.get("parameters"):
            statuses.append("404")  # something named in the request is looked up
        if has_body and method in UNSAFE_METHODS:
            statuses.append("409")
    if has_body:
        statuses += ["413", "415"]
    if _is_throttled(path):
        statuses.append("429")
    return sorted(statuses)


def document_errors(result, generator, request, public):
    """Postprocessing hook: the ``Error`` component and the error responses of every operation."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas[ERROR_COMPONENT] = copy.deepcopy(ERROR_SCHEMA)
    ref = {"$ref": f"#/components/schemas/{ERROR_COMPONENT}"}
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in HTTP_METHODS:
                continue
            responses = operation.setdefault("responses", {})
            for status in _error_statuses(path, method, operation):
                responses.setdefault(
                    status,
                    {
                        "description": ERROR_DESCRIPTIONS[status],
                        "content": {"application/json": {"schema": ref}},
                    },
                )
    result["components"]["schemas"] = dict(sorted(schemas.items()))
    return result


_CJK = re.compile(r"[\u4e00-\u9fff]")


def chinese_descriptions(result, generator, request, public):
    """Swagger is read by clerks and office IT staff in Chinese.

    Descriptions drf-spectacular takes from docstrings are developer notes in English; they are
    dropped, so what remains are the Chinese summaries, help texts and descriptions written for
    the API's readers.
    """

    def visit(node):
        if isinstance(node, dict):
            description = node.get("description")
            if isinstance(description, str) and not _CJK.search(description):
                node["description"] = ""  # kept: a response object requires one
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)

    visit(result.get("paths", {}))
    visit(result.get("components", {}))
    return result


def case_representation_fields(result, generator, request, public):
    """The fields other apps add to the case (cases.hooks.register_representation), documented
    on the Case component like its own fields."""
    from cases import hooks

    case = result.get("components", {}).get("schemas", {}).get("Case")
    if case is None:
        return result
    for extra in hooks.representations():
        case.setdefault("properties", {})[extra.name] = {
            "readOnly": True,
            "description": extra.help,
        }
        case.setdefault("required", []).append(extra.name)
    return result
