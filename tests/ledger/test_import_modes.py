"""How an import commits: dry run by default, idempotent re-import, one transaction per batch
of rows or nothing at all, published years refused, large files in the background with
progress."""

import datetime as dt

import pytest
from django.utils import timezone

from cases.models import Case, CaseEvent
from documents.models import Document
from ledger import services, tasks
from ledger.models import ImportBatch, ImportedCase
from reporting import services as reporting

from ..factories import register_case
from .helpers import row, table, upload, xlsx_bytes


def _file(*rows):
    return xlsx_bytes(table(list(rows)))


@pytest.mark.django_db
def test_nothing_is_written_by_a_dry_run_and_it_says_what_the_import_will_do(api, agency_admin):
    content = _file(
        row(台账编号="1"), row(台账编号="2", 收到申请日期="2024-02-30"), row(台账编号="3")
    )
    client = api(agency_admin)
    events_before = CaseEvent.objects.count()

    checked = upload(client, content).json()
    imported = upload(client, content, dry_run=False).json()

    assert checked["dry_run"] is True
    assert checked["report"]["summary"] == (
        "读取3行，可以导入2行，1行有错误（未导入）。（仅检查，未导入任何数据）"
    )
    assert imported["report"]["summary"] == "读取3行，已导入2行，1行有错误（未导入）。"
    for key in ("rows_read", "rows_created", "rows_with_errors", "errors"):
        assert checked["report"][key] == imported["report"][key]
    assert Case.objects.count() == 2
    assert CaseEvent.objects.count() == events_before + 2 * 3  # register, review, answer


@pytest.mark.django_db
def test_importing_the_same_ledger_again_creates_nothing_twice(api, agency_admin):
    numbered = row(台账编号="2024-007")
    unnumbered = row(申请人="李四")
    client = api(agency_admin)
    first = upload(client, _file(numbered, unnumbered), dry_run=False).json()["report"]

    # The office has since corrected a name and numbered the other row: still the same requests.
    again = _file(dict(numbered, 申请人="张三丰"), dict(unnumbered, 台账编号="2024-008"))
    checked = upload(client, again).json()["report"]
    second = upload(client, again, dry_run=False).json()["report"]

    assert first["rows_created"] == 2
    for report in (checked, second):
        assert (report["rows_created"], report["rows_already_imported"]) == (0, 2)
        assert [i["reference"] for i in report["already_imported"]] == [
            i["reference"] for i in first["imported"]
        ]
    assert "2行此前已导入（不再重复导入）" in second["summary"]
    assert Case.objects.count() == 2
    assert ImportedCase.objects.filter(external_number="2024-007").count() == 1


@pytest.mark.django_db
def test_a_case_logged_live_is_not_imported_again(api, agency_admin):
    from ..factories import register_case

    live = register_case(actor=agency_admin, received_on=dt.date(2024, 3, 4))
    ledger_row = row(证件号码=live.id_number, 申请内容=live.description)

    report = upload(api(agency_admin), _file(ledger_row), dry_run=False).json()["report"]

    assert report["already_imported"] == [{"row": 2, "reference": live.reference}]
    assert Case.objects.count() == 1


@pytest.mark.django_db
def test_all_or_nothing_imports_nothing_when_a_row_has_an_error(api, agency_admin, monkeypatch):
    monkeypatch.setattr(services, "CHUNK_ROWS", 1)  # the good rows' batches come first
    content = _file(row(), row(申请人="李四"), row(申请人="王五", 办理结果="不知道"))
    client = api(agency_admin)

    refused = upload(client, content, dry_run=False, all_or_nothing=True).json()["report"]
    assert refused["rolled_back"] is True
    assert refused["rows_created"] == 0
    assert refused["summary"].endswith("按“有错误则全部不导入”的要求，导入结果为不导入任何行。")
    assert Case.objects.count() == 0

    partly = upload(client, content, dry_run=False).json()["report"]
    assert partly["rows_created"] == 2
    assert Case.objects.count() == 2


@pytest.mark.django_db
def test_all_or_nothing_imports_everything_when_no_row_has_an_error(api, agency_admin):
    content = _file(row(), row(申请人="李四"))
    report = upload(api(agency_admin), content, dry_run=False, all_or_nothing=True).json()["report"]
    assert (report["rolled_back"], report["rows_created"]) == (False, 2)
    assert Case.objects.count() == 2


@pytest.mark.django_db
def test_rows_in_a_published_year_are_refused_with_the_locks_message(api, agency_admin, agency):
    report = reporting.annual_report_generate(agency=agency, year=2023, actor=agency_admin)
    reporting.annual_report_publish(report=report, actor=agency_admin)
    content = _file(
        row(收到申请日期="2023-11-06", 办结日期="2023-11-20"),
        # Received in 2023, answered in 2024: it would add to 2023's new and carried-out rows.
        row(申请人="李四", 收到申请日期="2023-12-28", 办结日期="2024-01-10"),
        row(申请人="王五"),
    )

    result = upload(api(agency_admin), content, dry_run=False).json()["report"]

    assert [(e["row"], e["column"]) for e in result["errors"]] == [
        (2, "收到申请日期"),
        (3, "收到申请日期"),
    ]
    assert result["errors"][0]["message"].startswith(
        "2023年的政府信息公开工作年度报告已发布，此项修改会改变已发布的统计表"
    )
    assert list(Case.objects.values_list("applicant_name", flat=True)) == ["王五"]


@pytest.mark.django_db
def test_a_large_file_runs_in_the_background_with_progress(
    api, agency_admin, settings, django_capture_on_commit_callbacks, monkeypatch
):
    settings.LEDGER_IMPORT_INLINE_ROWS = 2
    monkeypatch.setattr(services, "CHUNK_ROWS", 2)
    seen = []
    original = services.Progress.update

    def watch(self, *, rows_done, error_count):
        seen.append((rows_done, error_count, ImportBatch.objects.values_list("rows_done").get()[0]))
        original(self, rows_done=rows_done, error_count=error_count)

    monkeypatch.setattr(services.Progress, "update", watch)
    ran = []
    monkeypatch.setattr(tasks.run_import, "delay", lambda batch_id: ran.append(batch_id))
    client = api(agency_admin)
    rows = [row(申请人=f"申请人{i}") for i in range(4)] + [row(收到申请日期="x")]

    with django_capture_on_commit_callbacks(execute=True):
        queued = upload(client, xlsx_bytes(table(rows)), dry_run=False)

    assert queued.status_code == 202
    assert queued["Location"] == f"/api/imports/{queued.json()['id']}/"
    assert queued.json()["state"] == "queued"
    assert queued.json()["rows_total"] == 5
    assert ran == [queued.json()["id"]]

    tasks.run_import(queued.json()["id"])  # what the worker does with the message

    assert seen == [(2, 0, 0), (4, 0, 2), (5, 1, 4)]
    done = client.get(queued["Location"]).json()
    assert (done["state"], done["rows_done"], done["rows_total"]) == ("done", 5, 5)
    assert done["error_count"] == 1
    assert done["report"]["rows_created"] == 4
    assert tasks.run_import(queued.json()["id"]) is None  # delivered twice: done already


@pytest.mark.django_db
def test_an_import_whose_task_was_lost_is_run_by_the_periodic_job(
    api, agency_admin, settings, monkeypatch
):
    settings.LEDGER_IMPORT_INLINE_ROWS = 0

    def broker_down(batch_id):
        raise ConnectionError("broker unreachable")

    monkeypatch.setattr(tasks.run_import, "delay", broker_down)
    queued = upload(api(agency_admin), _file(row()), dry_run=False).json()
    assert tasks.run_pending_imports() == 0  # queued a moment ago: its task may still come

    ImportBatch.objects.update(created_at=timezone.now() - dt.timedelta(minutes=2))
    assert tasks.run_pending_imports() == 1
    assert ImportBatch.objects.get(pk=queued["id"]).state == "done"
    assert Case.objects.count() == 1


@pytest.mark.django_db
def test_an_import_left_running_by_a_dead_worker_is_run_again_without_duplicates(
    api, agency_admin, monkeypatch
):
    content = _file(row(), row(申请人="李四"))
    batch = upload(api(agency_admin), content, dry_run=False).json()
    # As if the worker had died after committing the first rows.
    ImportBatch.objects.filter(pk=batch["id"]).update(
        state="running", updated_at=timezone.now() - services.STALE_AFTER * 2
    )

    assert services.import_batches_pending() == [batch["id"]]
    again = services.import_batch_process(batch_id=batch["id"])

    assert again.report["rows_created"] == 2
    assert again.report["rows_already_imported"] == 0
    assert Case.objects.count() == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_all_or_nothing_import_shows_its_progress_while_its_transaction_is_open(
    api, agency_admin, monkeypatch
):
    from django.db import connections

    monkeypatch.setattr(services, "CHUNK_ROWS", 1)
    outside = connections.create_connection("default")
    seen = []
    original = services.Progress.update

    def watch(self, *, rows_done, error_count):
        original(self, rows_done=rows_done, error_count=error_count)
        with outside.cursor() as cursor:
            cursor.execute("SELECT rows_done FROM ledger_importbatch")
            seen.append(cursor.fetchone()[0])
        with outside.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM cases_case")
            seen.append(cursor.fetchone()[0])

    monkeypatch.setattr(services.Progress, "update", watch)
    try:
        content = _file(row(), row(申请人="李四"))
        report = upload(api(agency_admin), content, dry_run=False, all_or_nothing=True).json()
    finally:
        outside.close()

    # Progress seen from outside after each row, the cases not until the end.
    assert seen == [1, 0, 2, 0]
    assert report["report"]["rows_created"] == 2
    assert Case.objects.count() == 2


@pytest.mark.django_db
def test_imported_history_drafts_no_documents(api, agency_admin, handler):
    """The letters of an imported case were written outside the system: its steps draft none,
    while the same steps taken live do."""
    settings = {"issue_receipts": True}
    client = api(agency_admin)
    assert (
        client.put("/api/agencies/FJRST/document-settings/", settings, format="json").status_code
        == 200
    )
    corrected = row(补正告知日期="2024-03-05", 收到补正日期="2024-03-08", 办结日期="2024-03-22")
    imported = upload(client, _file(corrected, row()), dry_run=False).json()
    assert imported["report"]["rows_created"] == 2
    assert not Document.objects.exists()
    notes = set(CaseEvent.objects.values_list("note", flat=True))
    assert notes and all(note.startswith("导入：") for note in notes)

    live = register_case(actor=handler)
    assert list(Document.objects.values_list("case_id", "kind")) == [(live.pk, "receipt")]
