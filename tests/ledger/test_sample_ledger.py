"""An office's own ledger (tests/ledger/data/sample_ledger.xlsx): the importer finds the header
below the title, reads the office's column names, leaves the blank, totals and note rows aside
and says so, reports the one bad row, and the rest makes the annual table the ledger adds up
to."""

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from cases.models import Case, Role

from ..factories import UserFactory
from .helpers import upload

SAMPLE = Path(__file__).parent / "data" / "sample_ledger.xlsx"


@pytest.fixture
def head_of_office(agency):
    # The ledger's 延期审批人 names the head of the office, who approved the extension.
    return UserFactory(
        username="wangjh", agency=agency, role=Role.APPROVER, last_name="王", first_name="建华"
    )


def _import(client, **fields):
    return upload(client, SAMPLE.read_bytes(), "sample_ledger.xlsx", **fields)


@pytest.mark.django_db
def test_the_dry_run_reads_the_office_ledger_and_says_what_it_left_aside(
    api, agency_admin, head_of_office
):
    response = _import(api(agency_admin))

    assert response.status_code == 201
    report = response.json()["report"]
    assert report["header_row"] == 3
    assert report["sheet"] == "2024年台账"
    assert {c["column"]: c["template_column"] for c in report["columns"]} == {
        "受理编号": "台账编号",
        "申请人姓名": "申请人",
        "申请人类别": "申请人类型",
        "身份证号/统一社会信用代码": "证件号码",
        "申请形式": "申请方式",
        "受理日期": "收到申请日期",
        "申请公开的内容": "申请内容",
        "联系电话": "联系电话",
        "补正通知日期": "补正告知日期",
        "收到补正材料日期": "收到补正日期",
        "征求意见日期": "征求意见日期",
        "第三方": "征求意见对象",
        "第三方答复日期": "收到意见日期",
        "延期告知日期": "延期日期",
        "延期天数": "延长工作日数",
        "延期审批人": "延期批准人",
        "答复日期": "办结日期",
        "答复结果": "办理结果",
        "不予公开理由": "理由",
    }
    assert report["unknown_columns"] == ["承办科室", "备注"]
    assert [c["column"] for c in report["ignored_columns"]] == ["序号"]
    assert {(s["row"], s["message"]) for s in report["skipped"]} == {
        (1, "表头上方的标题或说明，已忽略"),
        (2, "表头上方的标题或说明，已忽略"),
        (12, "空行，已忽略"),
        (15, "合计行，已忽略"),
        (17, "说明文字，已忽略"),
    }
    assert report["rows_read"] == 10
    assert report["errors"] == [
        {
            "row": 13,
            "column": "身份证号/统一社会信用代码",
            "value": "350102198001011235",
            "message": "居民身份证号码校验码错误",
        }
    ]
    assert (report["rows_created"], report["rows_with_errors"]) == (9, 1)
    assert Case.objects.count() == 0


def _table(client, year: int) -> dict[str, dict[str, int]]:
    table = client.get(f"/api/reports/annual-table/?agency=FJRST&year={year}").json()
    return {row["key"]: row["values"] for row in table["rows"] if row["values"]}


@pytest.mark.django_db
def test_the_import_replays_each_case_and_gives_the_ledgers_annual_table(
    api, agency_admin, head_of_office
):
    client = api(agency_admin)
    response = _import(client, dry_run=False)

    assert response.json()["report"]["rows_created"] == 9
    table = _table(client, 2024)
    assert table["new_received"]["total"] == 9
    assert table["new_received"]["natural_person"] == 7
    assert table["new_received"]["commercial_enterprise"] == 1
    assert table["new_received"]["legal_service_institution"] == 1
    assert table["disclosed"]["total"] == 3
    assert table["partially_disclosed"]["total"] == 1
    assert table["withheld_third_party_rights"]["total"] == 1
    assert table["unavailable_not_held"]["commercial_enterprise"] == 1
    assert table["not_processed_complaint"]["legal_service_institution"] == 1
    assert table["other"]["total"] == 1  # the withdrawal
    assert table["total_handled"]["total"] == 8
    assert table["carried_over_to_next_year"]["total"] == 1
    assert _table(client, 2025)["carried_over_from_previous_year"]["total"] == 1

    extended = Case.objects.get(applicant_name="黄建明")
    trail = [(e.action, e.on.isoformat(), e.actor.username) for e in extended.events.all()]
    assert trail == [
        ("register", "2024-07-08", "agencyadmin"),
        ("review", "2024-08-02", "agencyadmin"),
        ("extend", "2024-08-02", "wangjh"),
        ("answer", "2024-08-23", "agencyadmin"),
    ]
    notes = {e.note for e in extended.events.all()}
    assert notes == {"导入：sample_ledger.xlsx 第9行（台账编号 榕人社公开〔2024〕6号）"}
    corrected = Case.objects.get(applicant_name="郑晓燕")
    assert [e.action for e in corrected.events.all()] == [
        "register",
        "request_correction",
        "receive_correction",
        "review",
        "answer",
    ]
    assert corrected.correction_items == "（台账未载明）"


@pytest.mark.django_db
def test_the_report_file_is_the_ledger_with_a_column_saying_what_became_of_each_row(
    api, agency_admin, head_of_office
):
    client = api(agency_admin)
    batch = _import(client, dry_run=False).json()

    response = client.get(batch["report_url"])

    assert response.status_code == 200
    assert response.streaming
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[2][0] == "导入检查结果"
    assert rows[2][1:4] == ("序号", "受理编号", "申请人姓名")
    assert rows[0][0] == "表头上方的标题或说明，已忽略"
    assert rows[3][0].startswith("已导入（FJRST-2024-")
    assert (
        "【身份证号/统一社会信用代码】“350102198001011235”居民身份证号码校验码错误" in rows[12][0]
    )
    assert rows[14][0] == "合计行，已忽略"
    assert rows[12][3] == "陈伟"
