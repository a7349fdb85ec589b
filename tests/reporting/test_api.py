"""GET /api/reports/annual-table/: the contract, who sees what, and the file formats."""

import csv
import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from cases.models import Role
from cases.vocabulary import annual_table_spec

from ..factories import UserFactory
from .histories import log_case

pytestmark = pytest.mark.django_db

URL = "/api/reports/annual-table/"
D = dt.date


@pytest.fixture
def history(handler):
    log_case(handler, received=D(2023, 12, 28))
    log_case(handler, received=D(2024, 3, 4), concluded=D(2024, 3, 20))
    log_case(handler, received=D(2024, 5, 6), concluded=D(2024, 5, 30), outcome="withdrawn")
    log_case(
        handler,
        received=D(2024, 7, 1),
        concluded=D(2024, 7, 15),
        outcome="partially_disclosed",
        applicant_type="legal_service_institution",
    )
    log_case(handler, received=D(2024, 12, 30), applicant_type="commercial_enterprise")


def get(client, **params):
    return client.get(URL, params)


def test_contract_shape_keys_and_order(api, handler, history):
    response = get(api(handler), agency="FJRST", year=2024, template=2021)

    assert response.status_code == 200
    body = response.json()
    assert {"agency", "year", "template", "columns", "rows", "checks"} <= set(body)
    assert (body["agency"], body["year"], body["template"]) == ("FJRST", 2024, "2021")
    spec = annual_table_spec()
    assert body["columns"] == [
        {k: c[k] for k in ("key", "label")} | ({"group": c["group"]} if "group" in c else {})
        for c in spec["columns"]
    ]
    assert [(r["key"], r["label"], r["kind"]) for r in body["rows"]] == [
        (r["key"], r["label"], r["kind"]) for r in spec["templates"]["2021"]["rows"]
    ]
    by_key = {row["key"]: row for row in body["rows"]}
    assert by_key["results_header"]["values"] == {}
    assert by_key["new_received"]["values"] == {
        "natural_person": 2, "commercial_enterprise": 1, "research_institution": 0,
        "social_welfare_organization": 0, "legal_service_institution": 1,
        "other_organization": 0, "total": 4,
    }  # fmt: skip
    assert by_key["carried_over_from_previous_year"]["values"]["total"] == 1
    assert by_key["disclosed"]["values"]["total"] == 1
    assert by_key["partially_disclosed"]["values"]["legal_service_institution"] == 1
    assert by_key["other"]["values"]["natural_person"] == 1
    assert by_key["total_handled"]["values"]["total"] == 3
    assert by_key["carried_over_to_next_year"]["values"] == {
        "natural_person": 1, "commercial_enterprise": 1, "research_institution": 0,
        "social_welfare_organization": 0, "legal_service_institution": 0,
        "other_organization": 0, "total": 2,
    }  # fmt: skip
    assert [c["name"] for c in body["checks"]] == [
        "balance", "outcomes_sum_to_total", "carried_in_matches_previous_year"
    ]  # fmt: skip
    assert all(set(c) >= {"name", "ok", "detail"} and c["ok"] for c in body["checks"])


def test_template_defaults_by_year(api, handler):
    assert get(api(handler), year=2020).json()["template"] == "2019"
    assert get(api(handler), year=2021).json()["template"] == "2021"
    assert get(api(handler), year=2021, template="2019").json()["template"] == "2019"


def test_a_clerk_sees_their_agency_by_default_and_no_other(api, registrar, other_agency, history):
    assert get(api(registrar), year=2024).json()["agency"] == "FJRST"
    assert get(api(registrar), agency="fjrst", year=2024).status_code == 200

    response = get(api(registrar), agency=other_agency.code, year=2024)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"

    response = get(api(registrar), agency="all", year=2024)
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_platform_admin_rolls_up_all_agencies(api, platform_admin, handler, other_agency, history):
    other = UserFactory(agency=other_agency, role=Role.HANDLER)
    log_case(other, received=D(2024, 2, 1), concluded=D(2024, 2, 20))

    body = get(api(platform_admin), agency="all", year=2024).json()
    mine = get(api(platform_admin), agency="FJRST", year=2024).json()
    theirs = get(api(platform_admin), agency=other_agency.code, year=2024).json()

    assert body["agency"] == "all"
    for row, a, b in zip(body["rows"], mine["rows"], theirs["rows"], strict=True):
        assert row["values"] == {k: a["values"][k] + b["values"][k] for k in a["values"]}
    assert get(api(platform_admin), year=2024).json()["agency"] == "all"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"year": "abc"}, "year"),
        ({"year": 2100}, "year"),
        ({"year": 2007}, "year"),
        ({"year": 2024, "template": "2020"}, "template"),
        ({"year": 2024, "format": "pdf"}, "format"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(api, handler, params, field):
    response = get(api(handler), **params)

    assert response.status_code == 400, response.content
    assert response["Content-Type"].startswith("application/json")
    assert field in response.json()["fields"]


def test_anonymous_requests_are_refused(api):
    response = get(api(), year=2024)
    assert response.status_code == 401


def _numbers(body) -> dict[str, list[int]]:
    keys = [c["key"] for c in body["columns"]]
    return {r["label"]: [r["values"][k] for k in keys] for r in body["rows"] if r["values"]}


def test_every_file_format_carries_the_numbers_of_the_json(api, handler, history):
    client = api(handler)
    body = get(client, year=2024).json()
    expected = _numbers(body)

    response = get(client, year=2024, format="csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith("\ufeff".encode())
    assert 'attachment; filename="' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    from_csv = {r[0]: [int(v) for v in r[1:8]] for r in rows if r and r[0] in expected}
    assert from_csv == expected

    response = get(client, year=2024, format="xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    from_xlsx = {}
    for line in sheet.iter_rows(values_only=True):
        label = next((v for v in reversed(line[:3]) if isinstance(v, str)), None)
        numbers = [v for v in line[3:10] if isinstance(v, int)]
        if label in expected and len(numbers) == 7:
            from_xlsx[label] = numbers
    assert from_xlsx == expected

    response = get(client, year=2024, format="html")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert "本列数据的勾稽关系" in response.content.decode()

    response = get(client, year=2024, format="docx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert response.content[:2] == b"PK"
