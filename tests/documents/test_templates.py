"""An office's own Word templates: upload, validation, use, fall back to the default."""

import io

import pytest
from docx import Document as Docx
from rest_framework.test import APIClient

from ..factories import AgencyFactory, UserFactory
from .helpers import act, case_in_state, step, the_document

pytestmark = pytest.mark.django_db

URL = "/api/agencies/FJRST/templates/correction_notice/"


def docx_with(*paragraphs: str) -> bytes:
    document = Docx()
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def upload(client, content: bytes, name: str = "letterhead.docx", url: str = URL):
    return client.post(url, {"file": _file(content, name)}, format="multipart")


def _file(content: bytes, name: str):
    handle = io.BytesIO(content)
    handle.name = name
    return handle


def text_of(content: bytes) -> str:
    document = Docx(io.BytesIO(content))
    return "\n".join(p.text for p in document.paragraphs)


LETTERHEAD = docx_with(
    "福建省人力资源和社会保障厅信息公开专用笺",
    "{{ number }}",
    "{{ title }}",
    "{{ addressee }}：",
    "{%p for paragraph in body_paragraphs %}",
    "{{ paragraph }}",
    "{%p endfor %}",
    "依据：{{ legal_basis }}",
    "{{ agency_name }} {{ seal }} {{ issued_on }}",
)


def test_an_uploaded_letterhead_is_used_for_the_kind(api, agency_admin, handler):
    admin, worker = api(agency_admin), api(handler)
    uploaded = upload(admin, LETTERHEAD)
    assert uploaded.status_code == 201, uploaded.json()
    assert uploaded.json()["templates"]["correction_notice"] is True
    assert uploaded.json()["templates"]["reply"] is False

    case = case_in_state("registered", actor=handler)
    act(worker, case.pk, "request-correction", on="2026-03-03", items="请注明文号")
    notice = the_document(worker, case.pk, "correction_notice")
    preview = worker.get(f"/api/documents/{notice['id']}/preview/?format=docx")
    assert preview.status_code == 200
    assert "信息公开专用笺" in text_of(preview.content)
    assert "草稿" in text_of(preview.content)

    issued = step(worker, notice["id"], "issue", on="2026-03-04").json()
    docx = worker.get(f"/api/documents/{notice['id']}/docx/")
    assert docx.status_code == 200
    assert docx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "FJRST-2026-00001" in docx["Content-Disposition"]
    text = text_of(docx.content)
    assert "信息公开专用笺" in text and issued["number"] in text and "2026年3月4日" in text
    assert "草稿" not in text

    # The current template can be downloaded (to start from it); deleting it restores the default.
    current = admin.get(URL)
    assert current.status_code == 200 and "信息公开专用笺" in text_of(current.content)
    assert admin.delete(URL).status_code == 204
    assert admin.delete(URL).status_code == 204  # nothing left to remove: still the default
    assert "信息公开专用笺" not in text_of(admin.get(URL).content)
    settings = admin.get("/api/agencies/FJRST/document-settings/").json()
    assert settings["templates"]["correction_notice"] is False


def test_unknown_placeholders_are_refused_and_each_one_named(api, agency_admin):
    template = docx_with("{{ title }}", "{{ applicant_phone }}", "{{ number }}{{ stamp_image }}")
    refused = upload(api(agency_admin), template)
    assert refused.status_code == 400
    message = refused.json()["fields"]["file"]
    assert "applicant_phone" in message and "stamp_image" in message
    assert "title" not in message


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"%PDF-1.4 not a word file", "不是Word文档"),
        (b"plain text", "不是Word文档"),
        (docx_with("{{ title "), "模板标记有误"),
        # The sandbox refuses Python internals; the sample render fails.
        (docx_with("{{ title.__class__.__mro__ }}"), "示例数据"),
        (docx_with("{{ title|nosuchfilter }}"), "模板"),
    ],
)
def test_a_template_that_cannot_work_is_refused(api, agency_admin, content, expected):
    refused = upload(api(agency_admin), content)
    assert refused.status_code == 400
    assert expected in refused.json()["fields"]["file"]
    assert (
        api(agency_admin)
        .get("/api/agencies/FJRST/document-settings/")
        .json()["templates"]["correction_notice"]
        is False
    )


def test_only_the_agency_admin_changes_templates(api, agency, handler, agency_admin):
    assert upload(api(handler), LETTERHEAD).status_code == 403
    assert api(handler).delete(URL).status_code == 403
    assert api(handler).get(URL).status_code == 200  # reading the template is for everyone
    other = AgencyFactory(code="FJJYT", name="福建省教育厅")
    stranger = api(UserFactory(agency=other, role="agency_admin"))
    assert upload(stranger, LETTERHEAD).status_code == 404
    assert stranger.get(URL).status_code == 404
    unknown_kind = upload(api(agency_admin), LETTERHEAD, url="/api/agencies/FJRST/templates/x/")
    assert unknown_kind.status_code == 404
    as_json = api(agency_admin).post(URL, {"file": "x"}, format="json")
    assert as_json.status_code == 415
    missing = api(agency_admin).post(URL, {}, format="multipart")
    assert missing.status_code == 400 and "file" in missing.json()["fields"]
    assert APIClient().get(URL).status_code == 401
