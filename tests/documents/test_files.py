"""Draft previews, file downloads, and a PDF that fails: the DOCX stays and the PDF comes later."""

import io
from urllib.parse import unquote

import pytest
from docx import Document as Docx

from documents import tasks
from documents.models import NumberSequence

from .conftest import pdf_text
from .helpers import act, case_in_state, step, the_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def notice(api, handler):
    client = api(handler)
    case = case_in_state("registered", actor=handler)
    act(client, case.pk, "request-correction", on="2026-03-03", items="请注明文号")
    return the_document(client, case.pk, "correction_notice")


def test_a_draft_preview_is_marked_and_takes_no_number(api, handler, notice, binaries):
    client = api(handler)
    assert notice["preview"]["docx"].endswith(f"/api/documents/{notice['id']}/preview/?format=docx")
    docx = client.get(notice["preview"]["docx"])
    assert docx.status_code == 200
    name = unquote(docx["Content-Disposition"])
    assert "草稿_FJRST-2026-00001_政府信息公开申请补正告知书.docx" in name
    text = "\n".join(p.text for p in Docx(io.BytesIO(docx.content)).paragraphs)
    assert "草稿" in text and "（草稿，签发时编号）" in text and "请注明文号" in text

    pdf = client.get(f"/api/documents/{notice['id']}/preview/?format=pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.content)
    assert "草稿" in text and "政府信息公开申请补正告知书" in text and "张三" in text
    assert not NumberSequence.objects.exists()

    assert client.get(f"/api/documents/{notice['id']}/preview/?format=xls").status_code == 400
    assert client.get(f"/api/documents/{notice['id']}/docx/").status_code == 404  # not issued
    step(client, notice["id"], "issue", on="2026-03-04")
    issued = client.get(f"/api/documents/{notice['id']}/preview/?format=docx")
    assert issued.status_code == 409


def test_a_failed_pdf_leaves_the_issued_docx_and_is_made_later(
    api, handler, notice, settings, pdf_worker
):
    client = api(handler)
    settings.DOCUMENTS_SOFFICE = "/bin/false"  # LibreOffice crashes
    issued = pdf_worker(lambda: step(client, notice["id"], "issue", on="2026-03-04"))
    assert issued.status_code == 200
    document = client.get(f"/api/documents/{notice['id']}/").json()
    assert document["status"] == "issued" and document["number"] == "FJRST公开补〔2026〕1号"
    assert document["files"]["docx"] and document["files"]["pdf"] is None
    assert document["pdf_error"]
    assert client.get(f"/api/documents/{notice['id']}/docx/").status_code == 200
    missing = client.get(f"/api/documents/{notice['id']}/pdf/")
    assert missing.status_code == 404 and missing.json()["code"] == "file_not_ready"

    settings.DOCUMENTS_SOFFICE = "soffice"  # back up: the periodic sweep makes it
    assert tasks.render_pending_pdfs() == 1
    assert tasks.render_pending_pdfs() == 0
    document = client.get(f"/api/documents/{notice['id']}/").json()
    assert document["files"]["pdf"] and document["pdf_error"] == ""
    pdf = client.get(f"/api/documents/{notice['id']}/pdf/")
    assert "FJRST公开补〔2026〕1号" in pdf_text(pdf.content)
    assert "FJRST-2026-00001" in unquote(pdf["Content-Disposition"])
