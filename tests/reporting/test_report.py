"""The whole annual report through the API: section 二 in both formats, section 六's fee
sentence, the checks that block publication, the lock on a published report's content, and the
report as Word, HTML and PDF read back."""

import datetime as dt
import io
import os
import shutil
import subprocess
from decimal import Decimal

import html5lib
import pytest
from docx import Document
from docx.oxml.ns import qn

from cases import services

from ..factories import UserFactory, register_case
from .histories import log_case

pytestmark = pytest.mark.django_db

CONTENTS = "/api/reports/report-contents/"
REPORTS = "/api/reports/annual-reports/"
TABLES = "/api/reports/report-tables/"
D = dt.date
TEXTS = {
    "general": "本年度，我厅认真贯彻《条例》。\n（一）主动公开\n1.及时公开规范性文件。",
    "problems": "一是解读力度不够；二是培训不足。",
    "other_matters": "无其他需要报告的事项。",
    "website": "本厅门户网站政府信息公开专栏",
    "contact": "本厅办公室（电话：0591-00000000）",
}
FIGURES_2019 = {
    "regulations": {"made": 0, "published": 0, "public_total": 0},
    "normative_documents": {"made": 7, "published": 7, "public_total": 7},
    "administrative_licensing": {"previous_items": 5, "change": 0, "decisions": 19},
    "other_services": {"previous_items": 21, "change": -2, "decisions": 6488},
    "administrative_penalty": {"previous_items": 0, "change": 0, "decisions": 0},
    "administrative_coercion": {"previous_items": 0, "change": 0, "decisions": 0},
    "administrative_fees": {"previous_items": 29, "change": 0},
    "government_procurement": {"procurement_items": 56, "procurement_amount": "3435.54 万元"},
}
FIGURES_2021 = {
    "regulations": {"issued": 1, "repealed": 0, "in_force": 3},
    "normative_documents": {"issued": 4, "repealed": 2, "in_force": 11},
    "administrative_licensing": {"decisions": 120},
    "administrative_penalty": {"decisions": 0},
    "administrative_coercion": {"decisions": 0},
    "administrative_fees": {"fee_amount": "12.5"},
}


def enter(client, year, **fields):
    return client.post(CONTENTS, {"year": year, **fields}, format="json")


def cells(section):
    return {
        (group["key"], row["label"], column["label"]): row["values"][column["key"]]
        for group in section["groups"]
        for row in group["rows"]
        for column in group["columns"]
    }


def tables(client, year, **query):
    response = client.get(TABLES, {"year": year, **query})
    assert response.status_code == 200, response.content
    return response.json()


def test_section_two_in_the_2019_format(api, agency_admin, handler):
    client = api(agency_admin)
    response = enter(client, 2020, active_disclosure={"2019": FIGURES_2019})
    assert response.status_code == 201, response.content
    section = tables(client, 2020)["active_disclosure"]
    assert [group["label"] for group in section["groups"]] == [
        "第二十条第（一）项", "第二十条第（五）项", "第二十条第（六）项", "第二十条第（八）项",
        "第二十条第（九）项",
    ]  # fmt: skip
    got = cells(section)
    assert got[("article_20_1", "规范性文件", "对外公开总数量")] == 7
    assert got[("article_20_5", "其他对外管理服务事项", "本年增/减")] == -2
    assert got[("article_20_8", "行政事业性收费", "上一年项目数量")] == 29
    assert got[("article_20_9", "政府集中采购", "采购总金额")] == "3435.54万元"
    assert len(got) == 22 and None not in got.values()
    # A clerk reads it but does not enter it.
    assert enter(api(handler), 2020, general="x").status_code == 403

    # Zero is a value; null clears a cell, which is then missing again.
    content_id = response.json()["id"]
    cleared = client.patch(
        f"{CONTENTS}{content_id}/",
        {"active_disclosure": {"2019": {"regulations": {"made": None}}}},
        format="json",
    )
    assert cleared.status_code == 200, cleared.content
    check = next(
        c for c in tables(client, 2020)["checks"] if c["name"] == "active_disclosure_filled"
    )
    assert check["ok"] is False and "“规章”的“本年新制作数量”" in check["detail"]

    for bad, field in (
        ({"2019": {"regulations": {"made": -1}}}, "2019.regulations.made"),
        ({"2019": {"regulations": {"made": "七"}}}, "2019.regulations.made"),
        ({"2019": {"government_procurement": {"procurement_amount": "3435.54"}}},
         "2019.government_procurement.procurement_amount"),  # which unit?
        ({"2019": {"regulations": {"decisions": 1}}}, "2019.regulations.decisions"),
        ({"2019": {"administrative_licensing_x": {"change": 1}}},
         "2019.administrative_licensing_x"),
        ({"2020": {}}, "2020"),
    ):  # fmt: skip
        refused = client.patch(
            f"{CONTENTS}{content_id}/", {"active_disclosure": bad}, format="json"
        )
        assert refused.status_code == 400, (bad, refused.content)
        assert field in refused.json()["fields"]["active_disclosure"], refused.json()


def test_section_two_in_the_2021_format_and_the_roll_up(
    api, agency_admin, other_agency, platform_admin
):
    response = enter(api(agency_admin), 2022, active_disclosure={"2021": FIGURES_2021})
    assert response.status_code == 201, response.content
    other_admin = UserFactory(agency=other_agency, role="agency_admin")
    figures = {**FIGURES_2021, "administrative_fees": {"fee_amount": "0.75万元"}}
    assert enter(api(other_admin), 2022, active_disclosure={"2021": figures}).status_code == 201

    section = tables(api(agency_admin), 2022)["active_disclosure"]
    assert section["template"] == "2021"
    got = cells(section)
    assert got[("article_20_1", "行政规范性文件", "现行有效件数")] == 11
    assert got[("article_20_5", "行政许可", "本年处理决定数量")] == 120
    assert got[("article_20_8", "行政事业性收费", "本年收费金额（单位：万元）")] == "12.5"
    assert len(got) == 10
    # The 2019 layout of the same year shows nothing entered.
    assert set(
        cells(tables(api(agency_admin), 2022, template="2019")["active_disclosure"]).values()
    ) == {None}

    rolled = cells(tables(api(platform_admin), 2022, agency="all")["active_disclosure"])
    assert rolled[("article_20_5", "行政许可", "本年处理决定数量")] == 240
    assert rolled[("article_20_8", "行政事业性收费", "本年收费金额（单位：万元）")] == "13.25"


def _fee_case(handler, *, received, paid, **payment):
    case = register_case(actor=handler, received_on=received)
    case = services.case_review(case=case, actor=handler, on=received)
    case = services.case_issue_fee_notice(
        case=case, actor=handler, basis="per_page", amount=Decimal("700.00"), on=received
    )
    if paid:
        case = services.case_receive_payment(case=case, actor=handler, on=paid, **payment)
    return case


def test_section_six_states_the_fees_of_the_year(api, agency_admin, handler):
    client = api(agency_admin)
    log_case(handler, received=D(2024, 3, 4), concluded=D(2024, 3, 20))
    report = client.post(REPORTS, {"year": 2024}, format="json").json()["report"]
    assert report["fee_statement"] == "本年度未收取信息处理费。"
    assert report["fees"] == {"notices": 0, "charged": "0.00", "waived": "0.00"}

    _fee_case(handler, received=D(2025, 3, 3), paid=D(2025, 3, 10))
    _fee_case(handler, received=D(2025, 4, 1), paid=None)
    report = client.post(REPORTS, {"year": 2025}, format="json").json()["report"]
    assert report["fee_statement"] == (
        "本年度共发出收取信息处理费的通知2件，实际收取信息处理费700.00元。"
    )
    # The office may word it itself; the generated sentence stays beside it.
    enter(client, 2025, fee_statement="本年度收取信息处理费700元，未减免。")
    report = client.post(REPORTS, {"year": 2025}, format="json").json()["report"]
    assert report["fee_statement"] == "本年度收取信息处理费700元，未减免。"
    assert report["fee_statement_generated"].startswith("本年度共发出")
    # A fee reduced (减免) is collected as paid and the rest stated as waived.
    _fee_case(
        handler,
        received=D(2025, 5, 6),
        paid=D(2025, 5, 8),
        paid_amount=Decimal("200.00"),
        waiver_reason="申请人为低保户，减收",
    )
    enter(client, 2025, fee_statement="")
    report = client.post(REPORTS, {"year": 2025}, format="json").json()["report"]
    assert report["fees"] == {"notices": 3, "charged": "900.00", "waived": "500.00"}
    assert report["fee_statement"] == (
        "本年度共发出收取信息处理费的通知3件，实际收取信息处理费900.00元，减免信息处理费500.00元。"
    )
    # The 2019 format has no fee sentence.
    assert client.post(
        REPORTS, {"year": 2025, "template": "2019"}, format="json"
    ).json()["report"]["fee_statement"] == ""  # fmt: skip


def _complete(client, year, template="2021"):
    figures = FIGURES_2021 if template == "2021" else FIGURES_2019
    response = enter(client, year, active_disclosure={template: figures}, **TEXTS)
    assert response.status_code in (200, 201), response.content


def test_publishing_the_report_is_blocked_until_every_check_passes(api, agency_admin, handler):
    client = api(agency_admin)
    log_case(handler, received=D(2024, 3, 4), concluded=D(2024, 3, 20))
    enter(client, 2024, general=TEXTS["general"])
    draft = client.post(REPORTS, {"year": 2024}, format="json").json()
    assert (draft["scope"], draft["checks_ok"]) == ("report", False)  # entered: the whole report

    refused = client.post(f"{REPORTS}{draft['id']}/publish/", {"accept_failed_checks": True})
    assert refused.status_code == 409 and refused.json()["code"] == "checks_failed"
    message = refused.json()["message"]
    assert "第二部分尚有10项未填写" in message
    assert "五、存在的主要问题及改进情况" in message and "开头段落：联系方式" in message

    _complete(client, 2024)
    stale = client.post(f"{REPORTS}{draft['id']}/publish/")
    assert stale.status_code == 409 and stale.json()["code"] == "report_stale"
    draft = client.post(REPORTS, {"year": 2024}, format="json").json()
    assert draft["checks_ok"] is True, draft["report"]["checks"]
    published = client.post(f"{REPORTS}{draft['id']}/publish/")
    assert published.status_code == 200, published.content

    # The whole report is locked: its texts and figures, as the cases and appeals are.
    locked = enter(client, 2024, problems="改写")
    assert locked.status_code == 409 and locked.json()["code"] == "period_locked"
    unchanged = enter(client, 2024, problems=TEXTS["problems"])
    assert unchanged.status_code == 200  # nothing changes, nothing is refused


def test_carried_in_must_match_the_previous_year_for_the_report(api, agency_admin, handler):
    client = api(agency_admin)
    carried = log_case(handler, received=D(2023, 12, 20))
    carried = services.case_review(case=carried, actor=handler, on=D(2023, 12, 21))
    table_2023 = client.post(REPORTS, {"year": 2023}, format="json").json()
    assert client.post(f"{REPORTS}{table_2023['id']}/publish/").status_code == 200
    client.post("/api/reports/periods/reopen/", {"year": 2023, "reason": "更正"}, format="json")
    services.case_answer(
        case=carried, actor=handler, outcome="disclosed", on=D(2023, 12, 28), reply="见附件"
    )
    _complete(client, 2024)
    draft = client.post(REPORTS, {"year": 2024}, format="json").json()
    refused = client.post(f"{REPORTS}{draft['id']}/publish/", {"accept_failed_checks": True})
    assert refused.status_code == 409
    assert "上年结转0≠2023年结转下年度1" in refused.json()["message"]


def test_the_report_document_in_word_html_and_pdf(api, agency_admin, handler, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = api(agency_admin)
    log_case(handler, received=D(2024, 3, 4), concluded=D(2024, 3, 20))
    _complete(client, 2024, template="2021")
    draft = client.post(REPORTS, {"year": 2024, "template": "2021"}, format="json").json()
    base = f"{REPORTS}{draft['id']}/report"
    assert draft["documents"]["docx"] == f"{base}.docx"

    response = client.get(f"{base}.docx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    document = Document(io.BytesIO(response.content))
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "福建省人力资源和社会保障厅2024年政府信息公开工作年度报告"
    assert "统计期限自2024年1月1日起至2024年12月31日止" in texts[1]
    assert "本厅门户网站政府信息公开专栏" in texts[1] and "本厅办公室" in texts[1]
    headings = [t for t in texts if t[:2] in ("一、", "二、", "三、", "四、", "五、", "六、")]
    assert headings == [
        "一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    ]  # fmt: skip
    assert "（一）主动公开" in texts and texts[-1] == "本年度未收取信息处理费。"
    two, three, four = document.tables
    # Merged header cells: 行政诉讼 spans ten columns, 行政复议 five.
    first_row = four.rows[0]._tr.tc_lst
    assert [(tc.grid_span, "".join(t.text for t in tc.iter(qn("w:t")))) for tc in first_row] == [
        (5, "行政复议"), (10, "行政诉讼")
    ]  # fmt: skip
    assert [c.text for c in two.rows[0].cells] == ["第二十条第（一）项"] * 4
    assert "申请人情况" in [c.text for c in three.rows[0].cells]
    footer = document.sections[0].footer.paragraphs[0]._p
    assert "PAGE" in "".join(t.text for t in footer.iter(qn("w:instrText")))
    assert footer.findall(".//" + qn("w:fldChar"))

    response = client.get(f"{base}.html")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    tree = parser.parse(response.content.decode("utf-8"))
    ids = [t.get("id") for t in tree.iter("table")]
    assert ids == ["table-active-disclosure", "table-requests", "table-review-litigation"]
    assert not [e for e in tree.iter() if e.tag in ("script", "link", "img", "iframe")]
    assert not [e for e in tree.iter() if (e.get("src") or e.get("href"))]
    assert [h.text for h in tree.iter("h1")] == [texts[0]]
    assert len(list(tree.iter("h2"))) == 6

    if shutil.which("soffice") is None and os.environ.get("REQUIRE_SERVICES") != "1":
        pytest.skip("LibreOffice (soffice) is not installed")
    response = client.get(f"{base}.pdf")
    assert response.status_code == 200, response.content[:200]
    assert response.content.startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True
        ).stdout.decode()
        assert "四、政府信息公开行政复议、行政诉讼情况" in text
    again = client.get(f"{base}.pdf")  # kept in storage: no second conversion
    assert again.content == response.content


def test_report_documents_are_for_the_agency_only(api, agency_admin, other_agency):
    client = api(agency_admin)
    draft = client.post(REPORTS, {"year": 2024}, format="json").json()
    other = UserFactory(agency=other_agency, role="agency_admin")
    response = api(other).get(f"{REPORTS}{draft['id']}/report.docx")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert client.get(f"{REPORTS}999999/report.html").status_code == 404
