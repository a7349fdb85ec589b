"""The year-end run: the 1 January task and the command write the files and mail each office
(to a real SMTP server on loopback); the January reminders; the beat schedule."""

import datetime as dt
import io
import json

import pytest
from celery.exceptions import Retry
from celery.schedules import crontab
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from cases.models import Role
from config.celery import app
from reporting.models import AnnualReport, ReportMailSent
from reporting.tasks import export_annual_tables, remind_unpublished_reports

from ..factories import UserFactory
from ..smtp import text_of
from .histories import log_case, values

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def two_agencies(handler, other_agency):
    other = UserFactory(agency=other_agency, role=Role.HANDLER)
    log_case(handler, received=D(2025, 3, 3), concluded=D(2025, 3, 20))
    log_case(handler, received=D(2025, 12, 29))
    log_case(other, received=D(2025, 6, 2), concluded=D(2025, 6, 9), outcome="withdrawn")
    return handler.agency, other_agency


def attachments(message) -> dict[str, bytes]:
    return {part.get_filename(): part.get_content() for part in message.iter_attachments()}


def test_1_january_task_writes_files_and_mails_every_office(smtp, settings, two_agencies):
    result = export_annual_tables.apply(kwargs={"today": "2026-01-01"}).get()

    assert result == {"year": 2025, "agencies": 2, "mailed": 2, "checks_failed": []}
    drafts = AnnualReport.objects.filter(year=2025, status="draft")
    assert sorted(drafts.values_list("agency__code", "template")) == [
        ("FJJYT", "2021"), ("FJRST", "2021")
    ]  # fmt: skip

    folder = settings.MEDIA_ROOT / "annual-reports" / "2025" / "FJRST"
    files = sorted(p.suffix for p in folder.iterdir())
    assert files == [".csv", ".docx", ".json", ".xlsx"]
    draft = drafts.get(agency__code="FJRST")
    saved = json.loads(next(folder.glob("*.json")).read_text(encoding="utf-8"))
    assert saved["rows"] == draft.table["rows"]
    assert values(saved, "carried_over_to_next_year")["total"] == 1

    mails = smtp.by_recipient()
    assert set(mails) == {"gk@rst.fj.example.cn", "gk@jyt.fj.example.cn"}
    message = mails["gk@rst.fj.example.cn"]
    assert "福建省人力资源和社会保障厅2025年" in message["Subject"]
    body = text_of(message)
    assert "核对结果" in body and "通过：各列均满足" in body
    files = attachments(message)
    assert sorted(name.rsplit(".", 1)[1] for name in files) == ["csv", "docx", "json", "xlsx"]
    xlsx = next(content for name, content in files.items() if name.endswith(".xlsx"))
    numbers = [c for row in load_workbook(io.BytesIO(xlsx)).active.iter_rows(values_only=True)
               for c in row if isinstance(c, int)]  # fmt: skip
    assert sum(numbers) > 0


def test_a_rerun_sends_nothing_twice(smtp, two_agencies):
    export_annual_tables.apply(kwargs={"today": "2026-01-01"}).get()
    result = export_annual_tables.apply(kwargs={"today": "2026-01-01"}).get()

    assert result["mailed"] == 0
    assert len(smtp.messages) == 2
    assert ReportMailSent.objects.count() == 2


def test_an_smtp_failure_marks_nothing_and_the_retry_delivers(smtp, two_agencies):
    smtp.fail = True
    with pytest.raises(Retry, match=r"ReportMailError.*451"):  # the task retries with backoff
        export_annual_tables.apply(kwargs={"today": "2026-01-01"}, throw=True).get()
    assert ReportMailSent.objects.count() == 0
    assert smtp.messages == []

    smtp.fail = False
    export_annual_tables.apply(kwargs={"today": "2026-01-01"}).get()
    assert len(smtp.messages) == 2


def test_command_writes_files_for_one_agency(tmp_path, two_agencies):
    out = io.StringIO()
    call_command(
        "export_annual_tables", "--year", "2025", "--agency", "fjrst", "--template", "2019",
        "--out", str(tmp_path / "out"), stdout=out,
    )  # fmt: skip

    files = sorted(p.name for p in (tmp_path / "out" / "FJRST").iterdir())
    assert len(files) == 4 and all("2025" in name for name in files)
    assert not (tmp_path / "out" / "FJJYT").exists()
    assert AnnualReport.objects.get().template == "2019"
    text = out.getvalue()
    assert "核对通过" in text and "共导出1个机关" in text
    assert ReportMailSent.objects.count() == 0  # no --mail, no mail

    with pytest.raises(CommandError, match="不存在"):
        call_command("export_annual_tables", "--year", "2025", "--agency", "NOPE", "--out", "x")
    with pytest.raises(CommandError, match="年度"):
        call_command("export_annual_tables", "--year", "2099", "--out", str(tmp_path))


def test_command_exports_a_published_year_as_published(api, agency_admin, tmp_path, two_agencies):
    client = api(agency_admin)
    draft = client.post("/api/reports/annual-reports/", {"year": 2025}, format="json").json()
    client.post(f"/api/reports/annual-reports/{draft['id']}/publish/", format="json")

    out = io.StringIO()
    call_command(
        "export_annual_tables", "--year", "2025", "--agency", "FJRST", "--out", str(tmp_path),
        stdout=out,
    )  # fmt: skip

    assert "已发布" in out.getvalue()
    assert AnnualReport.objects.filter(agency__code="FJRST").count() == 1  # no new draft


def test_january_reminders_go_to_agencies_that_have_not_published(
    api, agency_admin, smtp, two_agencies
):
    client = api(agency_admin)
    draft = client.post("/api/reports/annual-reports/", {"year": 2025}, format="json").json()
    client.post(f"/api/reports/annual-reports/{draft['id']}/publish/", format="json")

    result = remind_unpublished_reports.apply(kwargs={"today": "2026-01-15"}).get()

    assert result["reminded"] == ["FJJYT"]
    (recipients, message), = smtp.messages  # fmt: skip
    assert recipients == ("gk@jyt.fj.example.cn",)
    assert "2026年01月31日前" in text_of(message) and "第四十九条" in text_of(message)
    assert remind_unpublished_reports.apply(kwargs={"today": "2026-01-15"}).get()["reminded"] == []
    assert remind_unpublished_reports.apply(kwargs={"today": "2026-02-01"}).get()["reminded"] == []
    assert len(smtp.messages) == 1


def test_the_schedules_are_declared_in_asia_shanghai():
    schedule = app.conf.beat_schedule
    export = schedule["annual-table-export"]
    assert export["task"] == "reporting.tasks.export_annual_tables"
    assert export["schedule"] == crontab(minute=0, hour=1, day_of_month=1, month_of_year=1)
    reminders = schedule["annual-report-publication-reminders"]["schedule"]
    assert reminders.month_of_year == {1} and max(reminders.day_of_month) < 31
    assert app.conf.timezone == "Asia/Shanghai"
