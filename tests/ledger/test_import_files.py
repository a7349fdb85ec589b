"""What the import reads: the template, header variants in any order, XLSX and CSV in the
encodings Excel writes, and files it cannot read."""

import io

import pytest
from openpyxl import load_workbook

from cases.models import Case, Role
from ledger import columns

from ..factories import UserFactory
from .helpers import csv_bytes, row, table, upload, xlsx_bytes


@pytest.mark.django_db
def test_the_template_explains_every_column_and_imports_once_filled_in(api, agency_admin):
    client = api(agency_admin)
    response = client.get("/api/imports/template.xlsx")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["台账", "填写说明", "可选值"]
    headers = [cell.value for cell in book["台账"][1]]
    assert headers == [column.header for column in columns.COLUMNS]
    explained = {r[0]: r for r in book["填写说明"].iter_rows(values_only=True) if r and r[0]}
    for column in columns.COLUMNS:
        assert column.header in explained
    assert explained["申请人"][1] == "必填"
    assert "申请人姓名" in explained["申请人"][5]
    assert "部分公开（区分处理）" in explained["办理结果"][4]

    filled = dict(zip(headers, [None] * len(headers), strict=True))
    filled.update(row(台账编号="2024-001", 申请人="赵六", 联系电话="13800000001"))
    book["台账"].append([filled[h] for h in headers])
    buffer = io.BytesIO()
    book.save(buffer)
    checked = upload(client, buffer.getvalue(), "台账导入模板.xlsx")
    assert checked.status_code == 201
    assert checked.json()["report"]["rows_created"] == 1
    assert checked.json()["report"]["unknown_columns"] == []
    assert Case.objects.count() == 0

    imported = upload(client, buffer.getvalue(), "台账导入模板.xlsx", dry_run=False)
    assert imported.json()["report"]["imported"][0]["row"] == 2
    case = Case.objects.get()
    assert (case.applicant_name, case.contact_phone, case.outcome) == (
        "赵六",
        "13800000001",
        "disclosed",
    )


@pytest.mark.django_db
def test_other_roles_may_download_the_template_but_not_import(api, registrar):
    client = api(registrar)
    assert client.get("/api/imports/template.xlsx").status_code == 200
    response = upload(client, xlsx_bytes(table([row()])))
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert client.get("/api/imports/").status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "received", "outcome"),
    [
        ("申请人", "收到申请日期", "办理结果"),
        ("申请人姓名", "受理日期", "答复结果"),
        ("申请人名称", "申请日期", "处理结果"),
    ],
)
def test_the_headers_offices_use_are_read_in_any_order(api, agency_admin, name, received, outcome):
    data = row(
        申请人="福州某科技有限公司", 申请人类型="商业企业", 办理结果="部分公开", 理由="涉及商业秘密"
    )
    renamed = {
        {"申请人": name, "收到申请日期": received, "办理结果": outcome}.get(k, k): v
        for k, v in data.items()
    }
    headers = list(reversed(renamed))
    response = upload(api(agency_admin), xlsx_bytes(table([renamed], headers)), dry_run=False)

    report = response.json()["report"]
    assert report["errors"] == []
    assert {c["column"] for c in report["columns"]} >= {name, received, outcome}
    case = Case.objects.get()
    assert (case.applicant_name, case.received_on.isoformat(), case.outcome) == (
        "福州某科技有限公司",
        "2024-03-04",
        "partially_disclosed",
    )


def _variant_files() -> list[dict[str, str]]:
    """Every column's every other name, spread over as few files as the longest list needs."""
    most = max(len(column.variants) for column in columns.COLUMNS)
    return [
        {c.header: c.variants[i] for c in columns.COLUMNS if i < len(c.variants)}
        for i in range(most)
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("names", _variant_files(), ids=lambda names: "、".join(names.values()))
def test_every_header_variant_names_its_column(api, agency_admin, names):
    headers = [names.get(column.header, column.header) for column in columns.COLUMNS]
    lines = [headers, ["x"] * len(headers)]
    response = upload(api(agency_admin), xlsx_bytes(lines))

    report = response.json()["report"]
    read = {c["column"]: c["template_column"] for c in report["columns"]}
    assert read == dict(zip(headers, (c.header for c in columns.COLUMNS), strict=True))
    assert report["unknown_columns"] == []


@pytest.mark.django_db
def test_unknown_and_repeated_columns_are_reported_and_ignored(api, agency_admin):
    data = {"序号": 1, **row(), "承办人": "小李", "申请人姓名": "重复的列"}
    response = upload(api(agency_admin), xlsx_bytes(table([data])), dry_run=False)

    report = response.json()["report"]
    assert report["unknown_columns"] == ["承办人"]
    assert report["ignored_columns"] == [
        {"column": "序号", "message": "序号列，导入时不使用"},
        {"column": "申请人姓名", "message": "与“申请人”列重复，已忽略"},
    ]
    assert Case.objects.get().applicant_name == "张三"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("encoding", "bom"), [("utf-8", False), ("utf-8", True), ("gb18030", False)]
)
def test_csv_in_utf8_with_or_without_bom_and_in_gb18030(api, agency_admin, encoding, bom):
    lines = table([row(申请人="欧阳娜娜", 申请内容="关于“十四五”就业促进规划的说明")])
    content = csv_bytes(lines, encoding=encoding, bom=bom)
    response = upload(api(agency_admin), content, "台账.csv", dry_run=False)

    assert response.status_code == 201
    assert response.json()["report"]["encoding"] == ("utf-8-sig" if bom else encoding)
    case = Case.objects.get()
    assert (case.applicant_name, case.description) == ("欧阳娜娜", "关于“十四五”就业促进规划的说明")


@pytest.mark.django_db
def test_a_gb18030_csv_that_excel_wrote_is_not_mistaken_for_utf8(api, agency_admin):
    # Excel on a Chinese Windows writes "CSV" in the ANSI code page (GBK, within GB18030).
    content = csv_bytes(table([row(申请人="刘德华")]), encoding="gbk")
    with pytest.raises(UnicodeDecodeError):
        content.decode("utf-8")

    response = upload(api(agency_admin), content, "台账.csv")

    assert response.json()["report"]["rows_created"] == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"PK\x03\x04 not really a zip", "无法读取该XLSX文件"),
        ("标题\n一,二,三\n".encode(), "没有找到表头"),
        ("申请人,申请内容,联系电话\n张三,x,1\n".encode(), "缺少必需的列"),
    ],
)
def test_a_file_without_a_readable_header_is_refused_before_anything_is_stored(
    api, agency_admin, content, message
):
    response = upload(api(agency_admin), content, "x.xlsx")

    assert response.status_code == 400
    assert message in response.json()["fields"]["file"]
    assert api(agency_admin).get("/api/imports/").json()["count"] == 0


@pytest.mark.django_db
def test_agencies_keep_to_their_own(api, agency_admin, other_agency, platform_admin):
    content = xlsx_bytes(table([row()]))
    refused = upload(api(agency_admin), content, agency=other_agency.code)
    assert refused.status_code == 403

    assert upload(api(platform_admin), content).status_code == 400  # which agency?
    done = upload(api(platform_admin), content, agency="fjjyt", dry_run=False)
    assert done.status_code == 201
    assert Case.objects.get().agency == other_agency

    other_admin = UserFactory(agency=other_agency, role=Role.AGENCY_ADMIN)
    batch = done.json()["id"]
    assert api(other_admin).get(f"/api/imports/{batch}/").status_code == 200
    assert api(agency_admin).get(f"/api/imports/{batch}/").status_code == 404
    assert api(agency_admin).get(f"/api/imports/{batch}/report.xlsx").status_code == 404
    handler = UserFactory(agency=other_agency, role=Role.HANDLER)
    assert api(handler).get(f"/api/imports/{batch}/").status_code == 403


@pytest.mark.django_db
def test_a_file_over_the_size_limit_is_refused(api, agency_admin, settings):
    settings.LEDGER_IMPORT_MAX_BYTES = 1000
    response = upload(api(agency_admin), xlsx_bytes(table([row()] * 3)))
    assert response.status_code == 413


@pytest.mark.django_db
def test_the_ledger_may_be_on_a_later_sheet(api, agency_admin):
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "封面"
    book.active.append(["2024年政府信息公开申请办理台账"])
    ledger = book.create_sheet("台账")
    for line in table([row(申请人="孙七")]):
        ledger.append(line)
    buffer = io.BytesIO()
    book.save(buffer)
    client = api(agency_admin)

    response = upload(client, buffer.getvalue(), dry_run=False)

    assert response.json()["report"]["sheet"] == "台账"
    assert Case.objects.get().applicant_name == "孙七"
    report = load_workbook(
        io.BytesIO(b"".join(client.get(response.json()["report_url"]).streaming_content))
    )
    assert [r[0] for r in report.active.iter_rows(values_only=True)] == [
        "导入检查结果",
        f"已导入（{Case.objects.get().reference}）",
    ]


@pytest.mark.django_db
def test_an_xlsx_that_unpacks_to_too_much_is_refused_unread(api, agency_admin, monkeypatch):
    from ledger import reading

    monkeypatch.setattr(reading, "MAX_UNPACKED_BYTES", 10_000)
    response = upload(api(agency_admin), xlsx_bytes(table([row()])))
    assert response.status_code == 400
    assert "解压后超过" in response.json()["fields"]["file"]
