"""Refuse API requests whose URL holds a NUL character.

PostgreSQL text cannot hold NUL, so a ``%00`` in a filter, a search term or a lookup in the path
would fail in the database instead of being refused. One check here covers every API view,
before authentication, with the API's usual error body.
"""

from django.core.exceptions import TooManyFieldsSent
from django.http import JsonResponse

NUL = "\x00"
MESSAGE = "不能包含空字符（U+0000）"


def _refusal(message: str, fields: dict[str, str]) -> JsonResponse:
    body = {"code": "invalid", "message": message, "fields": fields}
    return JsonResponse(body, status=400, json_dumps_params={"ensure_ascii": False})


class RejectNulInApiUrlMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/api/"):
            try:
                fields = self._nul_fields(request)
            except TooManyFieldsSent:
                return _refusal("请求参数过多", {})
            if fields:
                return _refusal(f"请求地址{MESSAGE}", fields)
        return self.get_response(request)

    @staticmethod
    def _nul_fields(request) -> dict[str, str]:
        fields = {}
        if NUL in request.path:
            fields["path"] = MESSAGE
        for name, values in request.GET.lists():
            if NUL in name or any(NUL in value for value in values):
                fields[name.replace(NUL, "\ufffd")] = MESSAGE
        return fields
