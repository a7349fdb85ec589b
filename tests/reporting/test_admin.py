"""The clerks' screen lists their agency's snapshots and lock history, read-only."""

import pytest

from reporting.services import annual_report_generate

pytestmark = pytest.mark.django_db


def test_clerks_see_their_agencys_snapshots_with_checks(client, handler, other_agency):
    mine = annual_report_generate(agency=handler.agency, year=2024)
    annual_report_generate(agency=other_agency, year=2023)
    client.force_login(handler)

    listing = client.get("/admin/reporting/annualreport/")
    assert listing.status_code == 200
    assert list(listing.context["cl"].result_list) == [mine]

    page = client.get(f"/admin/reporting/annualreport/{mine.pk}/change/")
    assert page.status_code == 200
    assert "通过：各列均满足" in page.content.decode()
    assert client.get("/admin/reporting/annualreport/add/").status_code == 403


def test_platform_admin_sees_every_agency(client, platform_admin, handler, other_agency):
    annual_report_generate(agency=handler.agency, year=2024)
    annual_report_generate(agency=other_agency, year=2024)
    client.force_login(platform_admin)

    listing = client.get("/admin/reporting/annualreport/")
    assert len(listing.context["cl"].result_list) == 2
    assert client.get("/admin/reporting/periodevent/").status_code == 200
