"""Project wiring: OpenAPI schema and docs, createsuperuser, migrations, settings, Celery."""

import io
import os

import pytest
from django.conf import settings
from django.core.management import call_command
from rest_framework.test import APIClient

from cases.models import CaseEvent, User
from tests.cases.helpers import case_in_state
from tests.cases.test_lifecycle import NEW_CASE

ACTION_PATHS = [
    "review",
    "request-correction",
    "receive-correction",
    "lapse",
    "consult",
    "receive-opinion",
    "issue-fee-notice",
    "receive-payment",
    "extend",
    "answer",
    "withdraw",
    "archive",
]


@pytest.mark.django_db
def test_openapi_schema_lists_the_contract():
    response = APIClient().get("/api/schema/?format=json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/auth/token/" in paths
    assert {"get", "post"} <= set(paths["/api/agencies/"])
    assert {"get", "post"} <= set(paths["/api/cases/"])
    assert {"get", "patch"} <= set(paths["/api/cases/{id}/"])
    for action in ACTION_PATHS:
        assert "post" in paths[f"/api/cases/{{id}}/{action}/"], action
    answer = paths["/api/cases/{id}/answer/"]["post"]["requestBody"]["content"]["application/json"]
    ref = answer["schema"]["$ref"].rsplit("/", 1)[-1]
    fields = response.json()["components"]["schemas"][ref]["properties"]
    assert {"on", "outcome", "reply", "reason", "delivery"} <= set(fields)


@pytest.mark.django_db
def test_schema_generates_without_warnings(tmp_path):
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml")
    )
    assert "/api/cases/{id}/answer/" in (tmp_path / "schema.yml").read_text()


@pytest.mark.django_db
def test_interactive_docs_are_served_without_a_cdn():
    page = APIClient().get("/api/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "swagger-ui" in html
    assert "cdn.jsdelivr.net" not in html


@pytest.mark.django_db
def test_createsuperuser_noinput_makes_a_platform_admin(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a-long-pass-phrase-42")
    call_command(
        "createsuperuser",
        "--noinput",
        username="root",
        email="root@example.cn",
        stdout=io.StringIO(),
    )
    user = User.objects.get(username="root")
    assert user.is_superuser and user.agency is None and user.is_platform_admin
    client = APIClient()
    token = client.post(
        "/api/auth/token/", {"username": "root", "password": "a-long-pass-phrase-42"}, format="json"
    ).json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    created = client.post("/api/agencies/", {"code": "XM", "name": "厦门市", "email": "a@xm.cn"})
    assert created.status_code == 201
    assert (
        client.post("/api/cases/", {**NEW_CASE, "agency": "XM"}, format="json").status_code == 201
    )


@pytest.mark.django_db
def test_migrations_match_the_models():
    call_command("makemigrations", "--check", "--dry-run", stdout=io.StringIO())


@pytest.mark.django_db
def test_audit_rows_are_never_edited_or_deleted(handler):
    case = case_in_state("reviewed", actor=handler)
    event = CaseEvent.objects.filter(case=case).first()
    event.note = "tampered"
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()
    with pytest.raises(TypeError):
        CaseEvent.objects.filter(case=case).update(note="tampered")
    with pytest.raises(TypeError):
        CaseEvent.objects.filter(case=case).delete()
    assert CaseEvent.objects.filter(case=case, note="tampered").count() == 0


def test_settings_speak_chinese_in_shanghai():
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.USE_TZ is True


def test_celery_app_reads_django_settings():
    from config.celery import app

    assert app.conf.timezone == "Asia/Shanghai"
    assert app.conf.broker_url == settings.CELERY_BROKER_URL
    expected = os.environ.get("CELERY_BROKER_URL", "filesystem://")
    assert expected == settings.CELERY_BROKER_URL


@pytest.mark.postgres
@pytest.mark.django_db
def test_database_refuses_to_rewrite_audit_rows(handler):
    from django.db import DatabaseError, connection, transaction

    case = case_in_state("reviewed", actor=handler)
    for sql in (
        "UPDATE cases_caseevent SET note = 'tampered' WHERE case_id = %s",
        "DELETE FROM cases_caseevent WHERE case_id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [case.pk])
    assert CaseEvent.objects.filter(case=case).count() == 2
