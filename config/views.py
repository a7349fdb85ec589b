"""Site-wide views: error pages (JSON under /api/, Chinese pages elsewhere) and the health check."""

from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string

ERRORS = {
    400: ("bad_request", "请求有误"),
    403: ("permission_denied", "无权访问"),
    404: ("not_found", "页面或资源不存在"),
    500: ("server_error", "服务器内部错误，请稍后重试；如持续出现，请联系系统管理员"),
}


def _error(request, status: int) -> HttpResponse:
    code, message = ERRORS[status]
    if request.path.startswith("/api/"):
        # The documented error shape of the API, for errors raised outside DRF's views too.
        return JsonResponse({"code": code, "message": message, "fields": {}}, status=status)
    body = render_to_string("error.html", {"status": status, "message": message})
    return HttpResponse(body, status=status)


def bad_request(request, exception=None):
    return _error(request, 400)


def permission_denied(request, exception=None):
    return _error(request, 403)


def page_not_found(request, exception=None):
    return _error(request, 404)


def server_error(request):
    return _error(request, 500)


def healthz(request):
    """For load balancers and the container health check: the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")
