"""The ledger export: the case list's filters, one row per case in the template's columns plus
the computed ones, personal data masked unless an agency admin asks (and that is recorded),
streamed."""

import csv
import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from cases.models import Role
from ledger import exports, xlsx
from ledger.models import LedgerExport

from ..cases.helpers import act, case_in_state
from ..documents.helpers import step, the_document
from ..factories import UserFactory, register_case
from .helpers import upload


def _sheet(response) -> list[dict]:
    assert response.status_code == 200, response.content
    assert response.streaming
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    header, *rows = list(book.active.iter_rows(values_only=True))
    # Empty cells are not written: a row read back may be shorter than the header.
    return [dict(zip(header, [*values, *[None] * len(header)], strict=False)) for values in rows]


@pytest.fixture
def cases(agency_admin, other_agency):
    answered = case_in_state(
        "answered",
        actor=agency_admin,
        applicant_name="陈一",
        id_number="35010219850615001X",
        contact_phone="0591-87654321",
        contact_email="chenyi@example.cn",
        contact_address="福建省福州市鼓楼区五四路100号",
    )
    open_case = case_in_state("reviewed", actor=agency_admin, applicant_name="林二")
    older = register_case(
        actor=agency_admin, applicant_name="郑三", received_on=dt.date(2025, 5, 6)
    )
    other_admin = UserFactory(agency=other_agency, role=Role.AGENCY_ADMIN)
    register_case(actor=other_admin, applicant_name="别的机关")
    return answered, open_case, older


@pytest.mark.django_db
def test_one_row_per_case_with_personal_data_masked(api, handler, cases):
    answered, open_case, _ = cases
    rows = _sheet(api(handler).get("/api/cases/export.xlsx"))

    assert [r["申请人"] for r in rows] == ["林二", "陈一", "郑三"]  # the list's order
    first = next(r for r in rows if r["申请人"] == "陈一")
    assert first["证件号码"] == "350***********001X"
    assert first["联系电话"] == "059******4321"
    assert first["电子邮箱"] == "c***@example.cn"
    assert first["通讯地址"] == "福建省福州市****"
    assert first["申请人类型"] == "自然人"
    assert first["申请方式"] == "网上申请"
    assert first["收到申请日期"] == dt.datetime(2026, 3, 2)
    assert first["办理结果"] == "予以公开"
    assert first["申请编号"] == answered.reference
    assert first["办理状态"] == "已答复"
    assert first["剩余工作日（负数为已逾期）"] is None
    pending = next(r for r in rows if r["申请人"] == "林二")
    assert pending["答复期限"] == dt.datetime.combine(open_case.due_on, dt.time())
    assert pending["剩余工作日（负数为已逾期）"] < 0  # due in March 2026
    assert "别的机关" not in [r["申请人"] for r in rows]
    record = LedgerExport.objects.get()
    assert (record.user, record.unmasked, record.rows, record.format) == (handler, False, 3, "xlsx")


@pytest.mark.django_db
def test_only_an_agency_admin_gets_personal_data_in_full_and_it_is_recorded(
    api, handler, agency_admin, cases
):
    refused = api(handler).get("/api/cases/export.xlsx?unmask=true")
    assert refused.status_code == 403
    assert refused.json()["code"] == "permission_denied"

    rows = _sheet(api(agency_admin).get("/api/cases/export.xlsx?unmask=true&state=answered"))

    assert [r["证件号码"] for r in rows] == ["35010219850615001X"]
    assert rows[0]["联系电话"] == "0591-87654321"
    record = LedgerExport.objects.get()
    assert (record.user, record.unmasked, record.rows) == (agency_admin, True, 1)
    assert record.query == {"unmask": "true", "state": "answered"}
    assert api(agency_admin).get("/api/cases/export.csv?unmask=maybe").status_code == 400


@pytest.mark.django_db
def test_the_list_filters_search_and_ordering_apply(api, handler, cases):
    client = api(handler)
    by_year = _sheet(client.get("/api/cases/export.xlsx?year=2025"))
    assert [r["申请人"] for r in by_year] == ["郑三"]
    searched = _sheet(client.get("/api/cases/export.xlsx?search=林二"))
    assert [r["申请人"] for r in searched] == ["林二"]
    ordered = _sheet(client.get("/api/cases/export.xlsx?ordering=received_on,id"))
    assert [r["申请人"] for r in ordered] == ["郑三", "陈一", "林二"]
    overdue = _sheet(client.get("/api/cases/export.xlsx?overdue=true"))
    assert {r["申请人"] for r in overdue} == {"林二", "郑三"}

    refused = client.get("/api/cases/export.xlsx?year=1900")
    assert refused.status_code == 400
    assert "year" in refused.json()["fields"]


@pytest.mark.django_db
def test_csv_with_a_bom_for_excel(api, handler, cases):
    response = api(handler).get("/api/cases/export.csv?state=answered")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")
    header, values = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    record = dict(zip(header, values, strict=True))
    assert record["申请人"] == "陈一"
    assert record["收到申请日期"] == "2026-03-02"
    assert record["证件号码"] == "350***********001X"


@pytest.mark.django_db
def test_the_export_paths_are_not_taken_for_case_ids(api, handler, cases):
    client = api(handler)
    answered = cases[0]
    assert client.get(f"/api/cases/{answered.pk}/").status_code == 200
    assert client.get("/api/cases/export.xlsx").status_code == 200
    assert client.get("/api/cases/export.json").status_code == 404


@pytest.mark.django_db
def test_another_app_adds_columns_through_the_extension_point(api, handler, cases):
    asked = []

    def numbers(case_ids):
        asked.append(sorted(case_ids))
        return {pk: f"督办〔{pk}〕号" for pk in case_ids}

    exports.register_export_column("督办编号", numbers)
    try:
        rows = _sheet(api(handler).get("/api/cases/export.xlsx"))
    finally:
        exports._registered.pop("督办编号")
    assert {r["督办编号"] for r in rows} == {f"督办〔{c.pk}〕号" for c in cases}
    assert asked == [sorted(c.pk for c in cases)]  # one call for the chunk


@pytest.mark.django_db
def test_the_documents_numbers_and_delivery_dates_are_in_the_ledger(
    api, handler, approver, agency_admin
):
    """The documents app's columns: the reply's number and delivery day, the other documents
    issued (a correction notice here) with theirs; an export read back leaves them aside."""
    client = api(handler)
    case = register_case(actor=handler, received_on=dt.date(2026, 3, 2))
    assert (
        act(client, case.pk, "request-correction", on="2026-03-03", items="请写明年度").status_code
        < 300
    )
    notice = the_document(client, case.pk, "correction_notice")
    notice = step(client, notice["id"], "issue", on="2026-03-03").json()
    assert (
        client.post(f"/api/cases/{case.pk}/receive-correction/", {"on": "2026-03-05"}).status_code
        < 300
    )
    assert act(client, case.pk, "review", on="2026-03-05").status_code < 300
    assert act(client, case.pk, "answer", on="2026-03-10", outcome="disclosed").status_code < 300
    reply = step(client, the_document(client, case.pk, "reply")["id"], "issue", on="2026-03-10")
    reply = reply.json()
    sent = {"recipient": "张三", "method": "email", "sent_on": "2026-03-11"}
    assert client.post(f"/api/documents/{reply['id']}/deliveries/", sent).status_code == 201

    row = _sheet(client.get("/api/cases/export.xlsx"))[0]
    assert row["答复书文号"] == reply["number"]
    assert row["答复书送达日期"] == dt.datetime(2026, 3, 11)  # e-mail: delivered when sent
    assert (
        row["其他文书（文号、送达日期）"]
        == f"政府信息公开申请补正告知书 {notice['number']}，未送达"
    )

    exported = b"".join(client.get("/api/cases/export.xlsx").streaming_content)
    answer = upload(api(agency_admin), exported, name="台账导出.xlsx")
    assert answer.status_code == 201, answer.json()
    report = answer.json()["report"]
    assert "答复书文号" not in report["unknown_columns"]
    assert {"column": "答复书文号", "message": "系统生成的列，导入时不使用"} in report[
        "ignored_columns"
    ]


@pytest.mark.django_db
def test_the_cost_in_queries_does_not_grow_with_the_cases(
    api, handler, agency_admin, django_assert_max_num_queries
):
    client = api(handler)
    for _ in range(3):
        register_case(actor=agency_admin)
    # The documents app's three columns read one query each per chunk of cases.
    with django_assert_max_num_queries(15) as few:
        b"".join(client.get("/api/cases/export.xlsx").streaming_content)
    for _ in range(20):
        register_case(actor=agency_admin)
    with django_assert_max_num_queries(len(few.captured_queries)):
        rows = _sheet(client.get("/api/cases/export.xlsx"))
    assert len(rows) == 23


@pytest.mark.django_db
def test_more_cases_than_a_sheet_holds_must_go_to_csv(api, handler, cases, monkeypatch):
    monkeypatch.setattr(xlsx, "MAX_ROWS", 3)
    refused = api(handler).get("/api/cases/export.xlsx")
    assert refused.status_code == 400
    assert "超过Excel工作表的行数上限" in refused.json()["message"]
    assert api(handler).get("/api/cases/export.csv").status_code == 200
