"""The ledger import on the desk (/desk/imports/): an agency admin uploads a ledger, reads the
dry run's report, imports, and follows a large import's progress bar; others have no such page.
Through HTTP, logged in, as a browser posts the form."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cases.models import Case, Role
from ledger import tasks

from ..factories import UserFactory
from ..ledger.helpers import row, table, xlsx_bytes

pytestmark = pytest.mark.django_db


def ledger(*rows) -> SimpleUploadedFile:
    return SimpleUploadedFile("本厅台账.xlsx", xlsx_bytes(table(rows)))


def test_an_agency_admin_checks_then_imports_a_ledger(client_for, agency_admin):
    client = client_for(agency_admin)
    page = client.get("/desk/").content.decode()
    assert 'href="/desk/imports/"' in page  # in the menu
    good = row(申请人="陈美玲")
    bad = row(申请人="林建国", 证件号码="350102198506152604")  # wrong check character

    # A dry run by default: the report, nothing written.
    response = client.post("/desk/imports/", {"file": ledger(good, bad), "dry_run": "on"})
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert "读取2行" in html and "可以导入1行" in html
    assert re.search(r'data-figure="rows_with_errors">1<', html)
    assert "校验码" in html and "350102198506152604" in html
    assert 'href="/api/imports/' in html and "report.xlsx" in html
    assert not Case.objects.exists()

    # The same file imported: the good row becomes a case, the bad one is reported again.
    response = client.post("/desk/imports/", {"file": ledger(good, bad)})
    html = client.get(response["Location"]).content.decode()
    assert "已导入1行" in html
    assert list(Case.objects.values_list("applicant_name", flat=True)) == ["陈美玲"]
    listing = client.get("/desk/imports/").content.decode()
    assert listing.count('data-import="') == 2 and "仅检查" in listing


def test_a_large_import_shows_its_progress_until_done(
    client_for, agency_admin, settings, django_capture_on_commit_callbacks, monkeypatch
):
    settings.LEDGER_IMPORT_INLINE_ROWS = 1
    queued = []
    monkeypatch.setattr(tasks.run_import, "delay", lambda batch_id: queued.append(batch_id))
    client = client_for(agency_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/desk/imports/", {"file": ledger(row(申请人="甲"), row(申请人="乙"), row(申请人="丙"))}
        )
    [batch] = queued
    html = client.get(response["Location"]).content.decode()
    assert "排队中：已处理 0 / 3 行" in html
    assert f'hx-get="/desk/imports/{batch}/progress/"' in html and "every 2s" in html

    tasks.run_import(batch)  # what the worker does with the message

    polled = client.get(f"/desk/imports/{batch}/progress/", HTTP_HX_REQUEST="true")
    assert polled["HX-Refresh"] == "true"  # the page reloads to show the report
    assert "已完成：已处理 3 / 3 行" in polled.content.decode()
    assert "hx-trigger" not in polled.content.decode()
    assert "已导入3行" in client.get(response["Location"]).content.decode()


def test_bad_uploads_are_refused_on_the_form(client_for, agency_admin, settings):
    settings.LEDGER_IMPORT_MAX_BYTES = 2048
    client = client_for(agency_admin)
    html = client.post("/desk/imports/", {}).content.decode()
    assert "该字段是必填项" in html  # no file
    big = SimpleUploadedFile("大台账.xlsx", xlsx_bytes(table([row()] * 60)))
    html = client.post("/desk/imports/", {"file": big}).content.decode()
    assert "台账文件过大" in html
    headless = SimpleUploadedFile("空.csv", b"\n\n")
    html = client.post("/desk/imports/", {"file": headless}).content.decode()
    assert "没有找到表头" in html and not Case.objects.exists()


def test_only_admins_import_and_only_their_agencys_batches(
    client_for, agency_admin, handler, other_agency
):
    assert 'href="/desk/imports/"' not in client_for(handler).get("/desk/").content.decode()
    assert client_for(handler).get("/desk/imports/").status_code == 403
    response = client_for(agency_admin).post("/desk/imports/", {"file": ledger(row())})
    stranger = UserFactory(agency=other_agency, role=Role.AGENCY_ADMIN)
    assert client_for(stranger).get(response["Location"]).status_code == 404
    assert client_for(stranger).get(f"{response['Location']}progress/").status_code == 404
