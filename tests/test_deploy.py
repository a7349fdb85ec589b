"""Production settings, security headers, the language and the error pages."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import include, path
from rest_framework.test import APIClient

ROOT = Path(__file__).resolve().parent.parent
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}


def manage(*args, **env):
    """manage.py in a fresh process with production-like settings (no test defaults)."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    base.update({"DJANGO_SETTINGS_MODULE": "config.settings", "DJANGO_DEBUG": "false", **env})
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=base,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_passes_with_the_production_defaults():
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING", DJANGO_SECRET_KEY=secrets.token_urlsafe(50)
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_names_each_switched_off_protection():
    # A plain-HTTP intranet may switch them off; the deploy check then says what is missing.
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_SECURE_SSL_REDIRECT="false",
        DJANGO_SECURE_HSTS_SECONDS="0",
        DJANGO_SECURE_COOKIES="false",
    )
    assert result.returncode != 0
    for check in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert check in result.stderr


def test_debug_off_without_a_secret_key_refuses_to_start():
    result = manage("check")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


@pytest.mark.django_db
def test_security_headers_on_pages_and_api(registrar):
    client = Client()
    client.force_login(registrar)
    for url in ("/admin/", "/api/cases/", "/api/docs/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["X-Frame-Options"] == "DENY"
        policy = response["Content-Security-Policy"]
        assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
        assert "'unsafe-inline'" not in policy.split("script-src", 1)[1].split(";", 1)[0]


@pytest.mark.django_db
def test_the_admin_speaks_chinese_to_an_english_browser(registrar, handler):
    from .factories import register_case

    case = register_case(actor=handler)
    client = Client(**ENGLISH)
    client.force_login(handler)
    listing = client.get("/admin/cases/case/").content.decode()
    assert "Select" not in listing and "FILTER" not in listing.upper().split("<SCRIPT")[0]
    assert "搜索" in listing
    page = client.get(f"/admin/cases/case/{case.pk}/change/").content.decode()
    assert "Save and add another" not in page
    # One date format everywhere: ISO dates, never "Nov. 23, 2026" or 2026年3月2日.
    assert "2026-03-02" in page
    assert "Mar." not in page and "2026年3月2日" not in page


@pytest.mark.django_db
def test_the_browsable_api_speaks_chinese(registrar):
    client = Client(**ENGLISH)
    client.force_login(registrar)
    for url in ("/api/", "/api/cases/"):
        page = client.get(url, HTTP_ACCEPT="text/html").content.decode()
        for english in (
            "Django REST framework",
            "Api Root",
            "Case List",
            "HTML form",
            "Raw data",
            "Field filters",
            ">Filters<",
            "Log out",
            "[invalid name]",
        ):
            assert english not in page, (url, english)
    page = client.get("/api/cases/", HTTP_ACCEPT="text/html").content.decode()
    assert "政府信息公开申请列表" in page and "按字段筛选" in page


@pytest.mark.django_db
def test_view_site_leads_somewhere_real(registrar):
    client = Client()
    client.force_login(registrar)
    index = client.get("/admin/").content.decode()
    assert 'href="/api/docs/"' in index
    assert client.get("/api/docs/").status_code == 200
    assert client.get("/").status_code == 302


@pytest.mark.django_db
def test_api_errors_outside_the_views_are_json_and_pages_are_chinese(registrar):
    api = APIClient()
    api.force_authenticate(registrar)
    missing = api.get("/api/no-such-thing/")
    assert missing.status_code == 404
    assert missing.json() == {"code": "not_found", "message": "页面或资源不存在", "fields": {}}
    page = Client(**ENGLISH).get("/no-such-page/")
    assert page.status_code == 404
    assert "页面或资源不存在" in page.content.decode()
    assert "Not Found" not in page.content.decode()


def _boom(request):
    raise RuntimeError("boom")


# This module doubles as a URLconf for the server-error test: two failing views, then the project.
urlpatterns = [path("api/boom/", _boom), path("boom/", _boom), path("", include("config.urls"))]
handler500 = "config.views.server_error"


@pytest.mark.django_db
def test_server_errors_are_json_under_api_and_a_chinese_page_elsewhere(settings):
    settings.ROOT_URLCONF = __name__
    client = Client(raise_request_exception=False)
    error = client.get("/api/boom/")
    assert error.status_code == 500
    assert error.json()["code"] == "server_error"
    page = client.get("/boom/")
    assert page.status_code == 500 and "服务器内部错误" in page.content.decode()


def test_healthz_is_exempt_from_the_https_redirect():
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; import re; "
        "print(settings.SECURE_SSL_REDIRECT, "
        "any(re.match(p, 'healthz/') for p in settings.SECURE_REDIRECT_EXEMPT))",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
    )
    assert result.stdout.split() == ["True", "True"], result.stderr


def test_a_dead_worker_is_redelivered_within_minutes_not_an_hour():
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; from cases.tasks import RETRY_BACKOFF_MAX; "
        "print(settings.CELERY_BROKER_TRANSPORT_OPTIONS['visibility_timeout'], RETRY_BACKOFF_MAX)",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        CELERY_BROKER_URL="redis://127.0.0.1:6379/15",
    )
    timeout, backoff = map(int, result.stdout.split())
    assert timeout == 600 and backoff < timeout


@pytest.mark.django_db
def test_swagger_speaks_chinese():
    import re

    schema = APIClient().get("/api/schema/?format=json").json()
    cjk = re.compile(r"[\u4e00-\u9fff]")
    assert cjk.search(schema["info"]["description"])
    operations = [
        (method, url, op)
        for url, ops in schema["paths"].items()
        for method, op in ops.items()
        if isinstance(op, dict)
    ]
    assert len(operations) > 20
    for method, url, op in operations:
        assert cjk.search(op.get("summary", "")), (method, url)

    def english(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "description" and isinstance(value, str) and not cjk.search(value):
                    yield value or None
                yield from english(value)
        elif isinstance(node, list):
            for value in node:
                yield from english(value)

    assert [text for text in english(schema) if text] == []
