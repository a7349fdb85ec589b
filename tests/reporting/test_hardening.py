"""The reporting API (and the whole /api/ tree) gives no server error on odd input.

Years are bounded, NUL never reaches the database, OPTIONS describes every route in JSON, and
an unknown agency code is answered exactly like another agency's.
"""

import datetime as dt

import pytest

from cases import clock
from reporting.models import AnnualReport, PeriodEvent

from ..cases.helpers import case_in_state
from .histories import log_case

pytestmark = pytest.mark.django_db

REPORTS = "/api/reports/annual-reports/"
TABLE = "/api/reports/annual-table/"
REOPEN = "/api/reports/periods/reopen/"
HUGE = 10**20


def assert_error(response, status, field=None):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"code", "message", "fields"}, body
    if field is not None:
        assert field in body["fields"], body
    return body


@pytest.fixture
def draft(api, agency_admin, handler):
    log_case(handler, received=dt.date(2024, 3, 4), concluded=dt.date(2024, 3, 20))
    response = api(agency_admin).post(REPORTS, {"year": 2024}, format="json")
    assert response.status_code == 201, response.content
    return response.json()


# 4. NUL anywhere in an API URL


@pytest.mark.parametrize(
    "url, field",
    [
        ("/api/reports/periods/?agency=%00", "agency"),
        ("/api/reports/periods/?agency=FJ%00RST", "agency"),
        (f"{TABLE}?agency=%00", "agency"),
        (f"{TABLE}?year=2024&template=%00", "template"),
        (f"{REPORTS}?template=%00", "template"),
        ("/api/cases/?agency=%00", "agency"),
        ("/api/cases/?search=%00", "search"),
        ("/api/cases/?ordering=%00", "ordering"),
        ("/api/cases/?state=registered&state=%00", "state"),
        ("/api/cases/?%00=1", "\ufffd"),
        ("/api/agencies/?search=a%00b", "search"),
        ("/api/agencies/FJ%00RST/", "path"),
        ("/api/cases/1%00/", "path"),
    ],
)
def test_nul_in_an_api_url_is_a_400(api, agency_admin, url, field):
    body = assert_error(api(agency_admin).get(url), 400, field)
    assert body["code"] == "invalid"


def test_nul_is_refused_before_authentication_too(api):
    assert_error(api().get("/api/reports/periods/?agency=%00"), 400, "agency")


# 5. Every year in a reporting input is 2008..next year


@pytest.mark.parametrize("year", [HUGE, -HUGE, 0, 2007, "year+2", "2024.5"])
def test_years_in_reporting_bodies_are_bounded(api, agency_admin, year):
    if year == "year+2":
        year = clock.today().year + 2
    client = api(agency_admin)
    assert_error(client.post(REOPEN, {"year": year, "reason": "更正"}, format="json"), 400, "year")
    assert_error(client.post(REPORTS, {"year": year}, format="json"), 400, "year")
    assert not PeriodEvent.objects.exists()
    assert not AnnualReport.objects.exists()


@pytest.mark.parametrize("year", [str(HUGE), "-1", "0", "7e16", "99999", "2007"])
def test_years_in_reporting_queries_are_bounded(api, agency_admin, year):
    client = api(agency_admin)
    assert_error(client.get(TABLE, {"year": year}), 400, "year")
    assert_error(client.get(REPORTS, {"year": year}), 400, "year")


def test_the_report_list_still_filters_by_year(api, agency_admin, draft):
    client = api(agency_admin)
    assert [r["id"] for r in client.get(REPORTS, {"year": 2024}).json()["results"]] == [draft["id"]]
    assert client.get(REPORTS, {"year": 2023}).json()["results"] == []


def test_reopen_reason_is_bounded(api, agency_admin):
    response = api(agency_admin).post(REOPEN, {"year": 2024, "reason": "x" * 5001}, format="json")
    assert_error(response, 400, "reason")


def test_report_detail_routes_ignore_list_filters(api, agency_admin, draft):
    client = api(agency_admin)
    query = f"?year={HUGE}&status=published&ordering=bogus"
    assert client.get(f"{REPORTS}{draft['id']}/{query}").status_code == 200
    assert client.get(f"{REPORTS}{draft['id']}/export/{query}").status_code == 200


@pytest.mark.parametrize("body", ["null", "[]", "5", "[" * 5000])
def test_reporting_bodies_must_be_objects(api, agency_admin, draft, body):
    client = api(agency_admin)
    for path in (REPORTS, REOPEN, f"{REPORTS}{draft['id']}/publish/"):
        assert_error(client.post(path, body, content_type="application/json"), 400)


# 6. OPTIONS on the file routes


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "html", "docx", "json", "pdf"])
def test_options_on_the_file_routes_is_json(api, handler, agency_admin, draft, fmt):
    for user in (handler, agency_admin):
        client = api(user)
        for path in (TABLE, f"{REPORTS}{draft['id']}/export/"):
            response = client.options(f"{path}?format={fmt}")
            assert response.status_code == 200, (path, response.content)
            assert response["Content-Type"].startswith("application/json")
            assert "name" in response.json()


@pytest.mark.parametrize("accept", ["text/csv", "text/html", "application/vnd.ms-excel", "*/*"])
def test_options_ignores_the_accept_header(api, agency_admin, draft, accept):
    for path in (TABLE, f"{REPORTS}{draft['id']}/export/"):
        response = api(agency_admin).options(path, HTTP_ACCEPT=accept)
        assert response.status_code == 200, response.content
        assert response["Content-Type"].startswith("application/json")


def test_the_files_are_still_served(api, handler, draft):
    response = api(handler).get(TABLE, {"year": 2024, "format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")


def test_options_and_hostile_queries_on_every_api_route(api, agency_admin, platform_admin, draft):
    """A sweep: no route of the API answers 5xx to OPTIONS or to junk query parameters."""
    case = case_in_state("answered", actor=agency_admin)
    report = draft["id"]
    routes = [
        "/api/agencies/",
        "/api/agencies/FJRST/",
        "/api/cases/",
        f"/api/cases/{case.pk}/",
        f"/api/cases/{case.pk}/events/",
        f"/api/cases/{case.pk}/deadline/",
        *(
            f"/api/cases/{case.pk}/{name}/"
            for name in ("review", "answer", "archive", "extend", "issue-fee-notice")
        ),
        TABLE,
        REPORTS,
        f"{REPORTS}{report}/",
        f"{REPORTS}{report}/export/",
        f"{REPORTS}{report}/publish/",
        "/api/reports/periods/",
        REOPEN,
        "/api/auth/token/",
        "/api/auth/logout/",
    ]
    junk = (
        f"?year={HUGE}&due_within={HUGE}&page={HUGE}&page_size={HUGE}&format=csv"
        "&received_on_after=0001-01-01&ordering=-nope&search=%E4%B8%AD&agency=NOPE"
    )
    for user in (agency_admin, platform_admin):
        client = api(user)
        for path in routes:
            for response in (client.options(path), client.options(path + junk)):
                assert response.status_code < 500, (path, response.content)
                assert response["Content-Type"].startswith("application/json"), path
            response = client.get(path + junk)
            assert response.status_code < 500, (path, response.content)


# 10. Unknown agency codes are answered like other agencies' codes


def test_an_unknown_agency_code_is_answered_like_another_agencys(
    api, agency_admin, other_agency, draft
):
    client = api(agency_admin)

    def same(send):
        elsewhere, unknown = send(other_agency.code), send("NOPE")
        assert elsewhere.status_code == unknown.status_code == 404
        assert elsewhere.json() == unknown.json()
        assert "agency" in unknown.json()["fields"]

    same(lambda code: client.get(TABLE, {"agency": code, "year": 2024}))
    same(lambda code: client.get("/api/reports/periods/", {"agency": code}))
    same(lambda code: client.post(REPORTS, {"agency": code, "year": 2024}, format="json"))
    same(
        lambda code: client.post(
            REOPEN, {"agency": code, "year": 2024, "reason": "x"}, format="json"
        )
    )
