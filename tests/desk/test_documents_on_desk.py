"""The documents on the desk: a reply submitted for signature puts its case in the approver's
待我审批 tab, and the case page lists the case's documents. Through HTTP, logged in."""

import pytest

from ..cases.helpers import act, case_in_state
from ..documents.helpers import step, the_document
from .test_queue import rows, tab_counts

pytestmark = pytest.mark.django_db


def test_a_reply_waiting_for_signature_is_in_the_approvers_tab(
    api, client_for, handler, approver, agency_admin
):
    settings = {"approval_required": {"reply": True}}
    assert (
        api(agency_admin)
        .put("/api/agencies/FJRST/document-settings/", settings, format="json")
        .status_code
        == 200
    )
    case = case_in_state("reviewed", actor=handler)
    worker = api(handler)
    assert act(worker, case.pk, "answer", on="2026-03-10", outcome="disclosed").status_code == 202
    before = client_for(approver).get("/desk/?tab=approval").content.decode()
    assert tab_counts(before)["approval"] == 0  # a draft waits for its drafter, not the head

    reply = the_document(worker, case.pk, "reply")
    assert step(worker, reply["id"], "submit", on="2026-03-10").status_code == 200

    html = client_for(approver).get("/desk/?tab=approval").content.decode()
    assert tab_counts(html)["approval"] == 1
    assert case.reference in rows(html)
    page = client_for(handler).get(f"/desk/cases/{case.pk}/").content.decode()
    assert "政府信息公开申请答复书" in page or reply["title"] in page
    assert "待审批" in page
