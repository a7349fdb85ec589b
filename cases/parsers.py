"""Request body parsers that bound what they read and refuse what no client sends.

Whether DRF reads a body through Django's ``request.body`` (which enforces
DATA_UPLOAD_MAX_MEMORY_SIZE) or straight from the stream depends on its version and the parser,
and its JSON parser lets a deeply nested body blow the stack. These check the declared length,
read at most the limit, and accept as JSON only an object of bounded depth without NUL
characters (PostgreSQL text cannot hold them). Every refusal is a DRF exception, or Django's
RequestDataTooBig (a 413), which the API's handler (cases.errors) renders as the usual
``{"code", "message", "fields"}``. Not ApplicationError: cases.errors imports DRF's views, which
import the parsers named in the settings.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import QueryDict
from rest_framework import exceptions, parsers

from .limits import JSON_MAX_DEPTH

ParseError = exceptions.ParseError


def _too_large(limit: int) -> RequestDataTooBig:
    return RequestDataTooBig(f"Request body exceeded {limit} bytes")


def _too_deep() -> ParseError:
    return ParseError(f"请求内容嵌套过深（最多{JSON_MAX_DEPTH}层）")


def _check_declared_length(parser_context: dict[str, Any]) -> None:
    """Refuse before reading when the client announces a body over the limit."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    request = parser_context.get("request")
    if limit is None or request is None:
        return
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > limit:
        raise _too_large(limit)


def read_body(stream, parser_context: dict[str, Any]) -> bytes:
    _check_declared_length(parser_context)
    if stream is None:
        return b""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if limit is None:
        return stream.read()
    # The declared length may be missing or wrong: never read more than one byte past the limit.
    raw = stream.read(limit + 1)
    if len(raw) > limit:
        raise _too_large(limit)
    return raw


def _reject_constant(name: str):
    raise ValueError(f"{name} is not valid JSON")


def _check_structure(data: dict[str, Any]) -> None:
    """Depth and NUL check without recursion, naming the top-level field where it can."""
    stack: list[tuple[Any, int, str]] = [(data, 1, "")]
    while stack:
        value, depth, field = stack.pop()
        if isinstance(value, dict | list) and depth > JSON_MAX_DEPTH:
            raise _too_deep()
        if isinstance(value, dict):
            for key, item in value.items():
                if "\x00" in key:
                    raise ParseError("字段名不能包含空字符（U+0000）")
                stack.append((item, depth + 1, field or key))
        elif isinstance(value, list):
            stack.extend((item, depth + 1, field) for item in value)
        elif isinstance(value, str) and "\x00" in value:
            raise exceptions.ValidationError({field: "不能包含空字符（U+0000）"})


class JSONObjectParser(parsers.JSONParser):
    """JSON bodies: a single object (every endpoint takes one), bounded in size and depth."""

    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        raw = read_body(stream, parser_context)
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        try:
            data = json.loads(raw.decode(encoding), parse_constant=_reject_constant)
        except RecursionError:
            # The C decoder gives up before the depth check can run; same answer as too deep.
            raise _too_deep() from None
        except (ValueError, LookupError):  # bad JSON, bad bytes, or an unknown charset
            raise ParseError("请求内容不是有效的JSON") from None
        if not isinstance(data, dict):
            raise ParseError("请求内容应为JSON对象")
        _check_structure(data)
        return data


class FormParser(parsers.FormParser):
    """URL-encoded forms, read up to the same limit."""

    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        raw = read_body(stream, parser_context)
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        try:
            return QueryDict(raw, encoding=encoding)
        except TooManyFieldsSent:
            raise ParseError("请求字段过多") from None
        except LookupError:
            raise ParseError("字符集无效") from None


class MultiPartParser(parsers.MultiPartParser):
    """Multipart forms. The API takes no files, so the whole body counts against the limit;
    Django's parser enforces its own limits too, and its refusals are made JSON here."""

    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        _check_declared_length(parser_context)
        try:
            return super().parse(stream, media_type, parser_context)
        except (TooManyFieldsSent, TooManyFilesSent):
            raise ParseError("请求字段过多") from None
