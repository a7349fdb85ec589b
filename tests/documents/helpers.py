"""Shared helpers: case actions and document steps over HTTP."""

from ..cases.helpers import act, case_in_state  # noqa: F401


def documents_of(client, case_id: int) -> list[dict]:
    response = client.get(f"/api/cases/{case_id}/documents/")
    assert response.status_code == 200, response.content
    return response.json()


def the_document(client, case_id: int, kind: str) -> dict:
    found = [d for d in documents_of(client, case_id) if d["kind"] == kind]
    assert len(found) == 1, found
    return found[0]


def step(client, document_id: int, name: str, **data):
    return client.post(f"/api/documents/{document_id}/{name}/", data, format="json")


def issue_through_approval(handler_client, approver_client, document_id: int, on: str, run=None):
    """Submit (handler), approve (approver) and issue (handler) on the same day; ``run`` wraps
    the issue (the pdf_worker fixture, to make the PDF)."""
    assert step(handler_client, document_id, "submit", on=on).status_code == 200
    assert step(approver_client, document_id, "approve", on=on).status_code == 200
    issue = lambda: step(handler_client, document_id, "issue", on=on)  # noqa: E731
    issued = run(issue) if run else issue()
    assert issued.status_code == 200, issued.json()
    return issued.json()
