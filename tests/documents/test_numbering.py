"""Document numbers (spec §2): one gap-free sequence per agency, kind and year, taken at issue."""

import datetime as dt
import threading
from unittest import mock

import pytest
from django.db import connection
from rest_framework.test import APIClient

from cases import services as case_services
from documents import rendering
from documents.models import Document, NumberSequence

from ..factories import register_case, token_for
from .helpers import act, case_in_state, step, the_document

pytestmark = pytest.mark.django_db


def _correction_notice(client, actor, **case_fields) -> dict:
    case = case_in_state("registered", actor=actor, **case_fields)
    act(client, case.pk, "request-correction", on="2026-03-03", items="请注明文号")
    return the_document(client, case.pk, "correction_notice")


def test_one_sequence_per_kind_and_year_from_one(api, handler, approver):
    worker = api(handler)
    numbers = []
    for _ in range(3):
        notice = _correction_notice(worker, handler)
        numbers.append(step(worker, notice["id"], "issue", on="2026-03-04").json()["number"])
    assert numbers == [f"FJRST公开补〔2026〕{n}号" for n in (1, 2, 3)]

    case = case_in_state("reviewed", actor=handler)
    act(worker, case.pk, "consult", on="2026-03-03", party="某公司")
    letter = the_document(worker, case.pk, "consultation_letter")
    issued = step(worker, letter["id"], "issue", on="2026-03-03").json()
    assert issued["number"] == "FJRST公开征〔2026〕1号"  # another kind, its own sequence

    # A document issued in 2025 takes the 2025 sequence (the year of the issue date).
    old = register_case(actor=handler, received_on=dt.date(2025, 12, 29))
    act(worker, old.pk, "request-correction", on="2025-12-30", items="请注明文号")
    notice = the_document(worker, old.pk, "correction_notice")
    assert step(worker, notice["id"], "issue", on="2025-12-31").json()["number"] == (
        "FJRST公开补〔2025〕1号"
    )


def test_the_office_sets_its_format_and_prefixes(api, handler, agency_admin):
    admin, worker = api(agency_admin), api(handler)
    changed = admin.put(
        "/api/agencies/FJRST/document-settings/",
        {
            "number_format": "{prefix}〔{year}〕{seq}号",
            "prefixes": {"correction_notice": "闽人社补"},
        },
        format="json",
    )
    assert changed.status_code == 200
    assert changed.json()["prefixes"]["correction_notice"] == "闽人社补"
    assert changed.json()["prefixes"]["reply"] == "FJRST公开复"  # untouched kinds keep the default
    notice = _correction_notice(worker, handler)
    assert step(worker, notice["id"], "issue", on="2026-03-04").json()["number"] == (
        "闽人社补〔2026〕1号"
    )
    # A new format applies from the next number on; the sequence goes on.
    admin.put(
        "/api/agencies/FJRST/document-settings/",
        {"number_format": "{year}年{prefix}第{seq}号"},
        format="json",
    )
    notice = _correction_notice(worker, handler)
    assert step(worker, notice["id"], "issue", on="2026-03-04").json()["number"] == (
        "2026年闽人社补第2号"
    )


@pytest.mark.parametrize(
    ("number_format", "message"),
    [
        ("{prefix}〔{year}〕号", "{seq}"),
        ("{prefix}{seq}号", "{year}"),
        ("{prefix}〔{year}〕{seq}号{foo}", "{foo}"),
        ("{prefix}〔{year}〕{seq:03d}号", "格式说明"),
        ("{prefix}〔{year}〕{seq号", "花括号"),
    ],
)
def test_a_format_that_could_repeat_numbers_is_refused(api, agency_admin, number_format, message):
    response = api(agency_admin).put(
        "/api/agencies/FJRST/document-settings/", {"number_format": number_format}, format="json"
    )
    assert response.status_code == 400
    assert message in response.json()["fields"]["number_format"]


def test_a_failed_issue_takes_no_number(api, handler):
    worker = api(handler)
    first, second = _correction_notice(worker, handler), _correction_notice(worker, handler)
    broken = rendering.TemplateError("模板损坏")
    with mock.patch("documents.rendering.render_docx", side_effect=broken):
        failed = step(worker, first["id"], "issue", on="2026-03-04")
    assert failed.status_code == 400 and "模板" in failed.json()["message"]
    assert worker.get(f"/api/documents/{first['id']}/").json()["status"] == "draft"
    assert not NumberSequence.objects.exists()
    # Previews take no number either.
    assert worker.get(f"/api/documents/{second['id']}/preview/?format=docx").status_code == 200
    assert (
        step(worker, second["id"], "issue", on="2026-03-04")
        .json()["number"]
        .endswith("〔2026〕1号")
    )
    assert (
        step(worker, first["id"], "issue", on="2026-03-04").json()["number"].endswith("〔2026〕2号")
    )


def _race(targets):
    barrier = threading.Barrier(len(targets))
    results = [None] * len(targets)

    def run(i, target):
        try:
            barrier.wait()
            results[i] = target()
        except Exception as err:  # reported by the assertions
            results[i] = err
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, t)) for i, t in enumerate(targets)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_parallel_issues_get_unique_numbers_without_gaps(handler):
    documents = []
    for n in range(9):
        # One applicant's letter fails to render mid-issue: its number must go back.
        case = register_case(actor=handler, applicant_name="渲染失败" if n == 3 else f"申请人{n}")
        case_services.case_request_correction(
            case=case, actor=handler, items="请注明文号", on=dt.date(2026, 3, 3)
        )
        documents.append(Document.objects.get(case=case))
    real_render = rendering.render_docx

    def render(template, context):
        if context["addressee"] == "渲染失败":
            raise rendering.TemplateError("模板损坏")
        return real_render(template, context)

    token = token_for(handler)

    def issue(document_id):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        return client.post(
            f"/api/documents/{document_id}/issue/", {"on": "2026-03-04"}, format="json"
        )

    with (
        mock.patch("documents.rendering.render_docx", side_effect=render),
        mock.patch("documents.services.workflow._enqueue_pdf"),
    ):
        # The year's first issue creates the counter; the others then race for its row.
        assert issue(documents[0].pk).status_code == 200
        results = _race([lambda pk=d.pk: issue(pk) for d in documents[1:]])

    statuses = sorted(r.status_code for r in results)
    assert statuses == [200] * 7 + [400], results
    numbers = sorted(Document.objects.filter(status="issued").values_list("sequence", flat=True))
    assert numbers == list(range(1, 9))
    issued = Document.objects.filter(status="issued").values_list("number", flat=True)
    assert len(set(issued)) == 8
    assert NumberSequence.objects.get().last_value == 8
    assert Document.objects.get(case__applicant_name="渲染失败").number is None
