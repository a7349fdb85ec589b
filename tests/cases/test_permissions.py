"""Authentication, roles (403), agency isolation (404), and the agency endpoints."""

import pytest
from rest_framework.test import APIClient

from cases.models import Agency, Case

from ..factories import UserFactory, register_case
from .helpers import PAYLOADS, act, case_in_state
from .test_lifecycle import NEW_CASE

pytestmark = pytest.mark.django_db


def test_anonymous_requests_are_refused_with_the_error_shape():
    response = APIClient().get("/api/cases/")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert set(response.json()) == {"code", "message", "fields"}


def test_token_login_then_token_requests(registrar):
    client = APIClient()
    response = client.post(
        "/api/auth/token/", {"username": "registrar", "password": "secret-pass-123"}, format="json"
    )
    assert response.status_code == 200
    token = response.json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/cases/").status_code == 200

    wrong = APIClient().post(
        "/api/auth/token/", {"username": "registrar", "password": "nope"}, format="json"
    )
    assert wrong.status_code == 400
    assert wrong.json()["code"] == "invalid"


def test_inactive_user_gets_no_token(registrar):
    registrar.is_active = False
    registrar.save()
    response = APIClient().post(
        "/api/auth/token/", {"username": "registrar", "password": "secret-pass-123"}, format="json"
    )
    assert response.status_code == 400


def test_session_authentication_works_for_the_browsable_api(registrar):
    client = APIClient()
    assert client.login(username="registrar", password="secret-pass-123")
    assert client.get("/api/cases/").status_code == 200
    page = client.get("/api/cases/", HTTP_ACCEPT="text/html")
    assert page.status_code == 200
    assert b"<html" in page.content


# Role matrix: the actions a role may NOT take (all others it may).
REFUSED_FOR = {
    "registrar": [
        "review",
        "request-correction",
        "lapse",
        "consult",
        "issue-fee-notice",
        "extend",
        "answer",
    ],
    "handler": ["extend"],
    "approver": [],
    # Art. 33: the head of the disclosure office approves an extension, not the agency admin.
    "agency_admin": ["extend"],
}
SOURCE_STATE = {
    "review": "registered",
    "request-correction": "registered",
    "receive-correction": "awaiting_correction",
    "lapse": "awaiting_correction",
    "consult": "reviewed",
    "receive-opinion": "consulting",
    "issue-fee-notice": "reviewed",
    "receive-payment": "awaiting_fee",
    "extend": "reviewed",
    "answer": "reviewed",
    "withdraw": "registered",
    "archive": "answered",
}


@pytest.mark.parametrize(
    "role, action",
    [(role, action) for role, actions in REFUSED_FOR.items() for action in actions],
)
def test_roles_without_the_right_get_403(request, api, agency_admin, role, action):
    user = request.getfixturevalue(role)
    case = case_in_state(SOURCE_STATE[action], actor=agency_admin)
    response = act(api(user), case.pk, action, **PAYLOADS[action])
    assert response.status_code == 403, response.json()
    assert response.json()["code"] == "permission_denied"
    assert Case.objects.get(pk=case.pk).state == SOURCE_STATE[action]


@pytest.mark.parametrize(
    "role, action",
    [
        (role, action)
        for role in REFUSED_FOR
        for action in SOURCE_STATE
        if action not in REFUSED_FOR[role]
    ],
)
def test_roles_with_the_right_may_act(request, api, agency_admin, role, action):
    user = request.getfixturevalue(role)
    case = case_in_state(SOURCE_STATE[action], actor=agency_admin)
    response = act(api(user), case.pk, action, **PAYLOADS[action])
    assert response.status_code == 200, response.json()


def test_role_is_checked_before_state(api, registrar, agency_admin):
    case = case_in_state("archived", actor=agency_admin)
    assert act(api(registrar), case.pk, "answer", outcome="disclosed").status_code == 403


def test_another_agencys_case_is_not_found(api, handler, other_agency):
    outsider = UserFactory(agency=other_agency, role="agency_admin")
    case = case_in_state("reviewed", actor=handler)
    client = api(outsider)
    assert client.get(f"/api/cases/{case.pk}/").status_code == 404
    assert (
        client.patch(f"/api/cases/{case.pk}/", {"applicant_name": "x"}, format="json").status_code
        == 404
    )
    response = act(client, case.pk, "answer", outcome="disclosed")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert client.get(f"/api/cases/{case.pk}/events/").status_code == 404
    assert client.get("/api/cases/").json()["count"] == 0
    assert Case.objects.get(pk=case.pk).state == "reviewed"


def test_unknown_case_is_404(api, handler):
    response = act(api(handler), 999999, "review")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_clerk_registers_only_in_own_agency(api, registrar, other_agency):
    client = api(registrar)
    elsewhere = client.post("/api/cases/", {**NEW_CASE, "agency": "FJJYT"}, format="json")
    assert elsewhere.status_code == 403
    # An unknown code gets the same answer: codes cannot be probed for which agencies exist.
    unknown = client.post("/api/cases/", {**NEW_CASE, "agency": "NOPE"}, format="json")
    assert (unknown.status_code, unknown.json()) == (403, elsewhere.json())
    assert "agency" in unknown.json()["fields"]
    explicit = client.post("/api/cases/", {**NEW_CASE, "agency": "fjrst"}, format="json")
    assert explicit.status_code == 201
    assert explicit.json()["agency"] == "FJRST"


def test_platform_admin_works_across_agencies(api, platform_admin, handler, other_agency):
    client = api(platform_admin)
    missing = client.post("/api/cases/", NEW_CASE, format="json")
    assert missing.status_code == 400
    assert "agency" in missing.json()["fields"]
    created = client.post("/api/cases/", {**NEW_CASE, "agency": "FJJYT"}, format="json")
    assert created.status_code == 201
    assert created.json()["reference"].startswith("FJJYT-2026-")
    register_case(actor=handler)
    assert client.get("/api/cases/").json()["count"] == 2
    assert client.get("/api/cases/?agency=FJJYT").json()["count"] == 1
    assert act(client, created.json()["id"], "review").status_code == 200


def test_agencies_are_created_by_platform_admins_only(api, platform_admin, agency_admin):
    payload = {"code": "fjwjw", "name": "福建省卫生健康委员会", "email": "gk@wjw.fj.example.cn"}
    refused = api(agency_admin).post("/api/agencies/", payload, format="json")
    assert refused.status_code == 403
    created = api(platform_admin).post("/api/agencies/", payload, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["code"] == "FJWJW"
    assert Agency.objects.filter(code="FJWJW").exists()

    duplicate = api(platform_admin).post("/api/agencies/", payload, format="json")
    assert duplicate.status_code == 400
    assert "code" in duplicate.json()["fields"]
    bad = api(platform_admin).post(
        "/api/agencies/", {"code": "x", "name": "某机关", "email": "nope"}, format="json"
    )
    assert bad.status_code == 400
    assert {"code", "email"} <= set(bad.json()["fields"])


def test_agency_list_is_scoped(api, platform_admin, registrar, other_agency):
    assert [a["code"] for a in api(registrar).get("/api/agencies/").json()["results"]] == ["FJRST"]
    codes = [a["code"] for a in api(platform_admin).get("/api/agencies/").json()["results"]]
    assert codes == ["FJJYT", "FJRST"]
