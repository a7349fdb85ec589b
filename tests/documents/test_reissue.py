"""Correcting an issued document: a new number, the old one superseded, both kept and audited."""

import pytest

from cases.models import CaseEvent

from .helpers import act, case_in_state, documents_of, issue_through_approval, step, the_document

pytestmark = pytest.mark.django_db


def test_a_mistake_is_corrected_by_a_new_document_with_a_new_number(api, handler):
    client = api(handler)
    case = case_in_state("registered", actor=handler)
    act(client, case.pk, "request-correction", on="2026-03-03", items="请注明文号")
    original = the_document(client, case.pk, "correction_notice")
    original = step(client, original["id"], "issue", on="2026-03-03").json()
    assert original["number"] == "FJRST公开补〔2026〕1号"

    assert step(client, original["id"], "reissue").status_code == 400  # a reason is required
    created = step(client, original["id"], "reissue", reason="补正期限写错")
    assert created.status_code == 201
    replacement = created.json()
    assert replacement["status"] == "draft" and replacement["number"] is None
    assert replacement["supersedes"] == original["id"]
    assert replacement["reissue_reason"] == "补正期限写错"
    pending = step(client, original["id"], "reissue", reason="再改")
    assert pending.status_code == 409  # one correction at a time
    # Until the correction is issued, the original stands.
    assert client.get(f"/api/documents/{original['id']}/").json()["status"] == "issued"

    body = replacement["body"].replace("15个工作日", "20个工作日")
    client.patch(f"/api/documents/{replacement['id']}/", {"body": body}, format="json")
    issued = step(client, replacement["id"], "issue", on="2026-03-04").json()
    assert issued["number"] == "FJRST公开补〔2026〕2号"
    assert "20个工作日" in issued["body"]

    old = client.get(f"/api/documents/{original['id']}/").json()
    assert old["status"] == "superseded" and old["number"] == "FJRST公开补〔2026〕1号"
    assert old["superseded_by"] == replacement["id"]
    assert client.get(f"/api/documents/{original['id']}/docx/").status_code == 200  # kept
    kinds = [(d["number"], d["status"]) for d in documents_of(client, case.pk)]
    assert kinds == [
        ("FJRST公开补〔2026〕1号", "superseded"),
        ("FJRST公开补〔2026〕2号", "issued"),
    ]
    assert step(client, original["id"], "reissue", reason="x").status_code == 409
    assert step(client, original["id"], "issue").status_code == 409

    trail = CaseEvent.objects.filter(case=case, action__startswith="document_").order_by("id")
    assert [e.action for e in trail] == [
        "document_issue",
        "document_reissue",
        "document_draft",
        "document_issue",
    ]
    assert trail[1].data["reason"] == "补正期限写错"
    assert trail[3].data["supersedes"] == "FJRST公开补〔2026〕1号"


def test_a_corrected_reply_goes_through_approval_again(api, handler, approver):
    worker, head = api(handler), api(approver)
    case = case_in_state("reviewed", actor=handler)
    act(worker, case.pk, "answer", on="2026-03-10", outcome="unavailable_not_held")
    reply = the_document(worker, case.pk, "reply")
    issue_through_approval(worker, head, reply["id"], "2026-03-10")
    replacement = step(worker, reply["id"], "reissue", reason="救济途径中的复议机关写错").json()
    refused = step(worker, replacement["id"], "issue", on="2026-03-11")
    assert refused.status_code == 409 and "审批" in refused.json()["message"]
    issued = issue_through_approval(worker, head, replacement["id"], "2026-03-11")
    assert issued["number"] == "FJRST公开复〔2026〕2号"
