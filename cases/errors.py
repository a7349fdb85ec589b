"""One application error type with a stable code, and the DRF handler that renders every error
as ``{"code", "message", "fields"}``."""

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler


class ApplicationError(Exception):
    """A refusal the user can act on. ``code`` is stable; ``message`` is for people."""

    code = "invalid"
    http_status = status.HTTP_400_BAD_REQUEST

    def __init__(self, message: str, *, fields: dict[str, Any] | None = None, code: str = ""):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}
        if code:
            self.code = code


class InvalidInput(ApplicationError):
    code = "invalid"
    http_status = status.HTTP_400_BAD_REQUEST


class NotPermitted(ApplicationError):
    code = "permission_denied"
    http_status = status.HTTP_403_FORBIDDEN


class NotFound(ApplicationError):
    code = "not_found"
    http_status = status.HTTP_404_NOT_FOUND


class TransitionRefused(ApplicationError):
    """The action is not possible in the case's current state."""

    code = "transition_not_allowed"
    http_status = status.HTTP_409_CONFLICT


class PayloadTooLarge(ApplicationError):
    """The request body is over DATA_UPLOAD_MAX_MEMORY_SIZE."""

    code = "payload_too_large"
    http_status = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE


class ConcurrentChange(ApplicationError):
    """Someone else changed the case since it was read."""

    code = "concurrent_change"
    http_status = status.HTTP_409_CONFLICT


def _flatten(detail: Any) -> Any:
    if isinstance(detail, dict):
        return {key: _flatten(value) for key, value in detail.items()}
    if isinstance(detail, list):
        flat = [_flatten(item) for item in detail]
        return flat[0] if len(flat) == 1 and isinstance(flat[0], str) else flat
    return str(detail)


def validation_error_fields(error: DjangoValidationError) -> dict[str, Any]:
    if hasattr(error, "error_dict"):
        return {
            key: "；".join(str(m) for e in errors for m in e.messages)
            for key, errors in error.error_dict.items()
        }
    return {"non_field_errors": "；".join(error.messages)}


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, RequestDataTooBig):
        # Raised by Django's request.body, which DRF reads for JSON and forms, and by the
        # parsers in cases.parsers; Django alone would answer a 400 without saying why.
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        exc = PayloadTooLarge(f"请求内容过大（最多{limit}字节）")
    if isinstance(exc, ApplicationError):
        body = {"code": exc.code, "message": exc.message, "fields": exc.fields}
        return Response(body, status=exc.http_status)
    if isinstance(exc, DjangoValidationError):
        fields = validation_error_fields(exc)
        body = {"code": "invalid", "message": "输入有误", "fields": fields}
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()

    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        detail = _flatten(exc.detail)
        fields = detail if isinstance(detail, dict) else {"non_field_errors": detail}
        response.data = {"code": "invalid", "message": "输入有误", "fields": fields}
    else:
        codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
        response.data = {
            "code": codes if isinstance(codes, str) else "error",
            "message": str(getattr(exc, "detail", exc)),
            "fields": {},
        }
    return response
