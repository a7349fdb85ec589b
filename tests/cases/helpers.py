"""Shared test helpers: reach a state through the services, call actions over HTTP."""

import datetime as dt

from cases import services
from cases.models import Case

from ..factories import register_case

RECEIVED = dt.date(2026, 3, 2)

# Valid input for every action, so that a refusal is about the state, not the payload. The steps
# that must happen within a period are dated inside it (the reply is due 2026-03-30, the fee of a
# notice of 2026-03-03 by 2026-03-31).
PAYLOADS = {
    "review": {},
    "request-correction": {"items": "请补充所需信息的文号或名称"},
    "receive-correction": {},
    "lapse": {},
    "consult": {"party": "福州某人力资源服务有限公司"},
    "receive-opinion": {"opinion": "不同意公开"},
    "issue-fee-notice": {"basis": "per_page", "amount": "700.00", "on": "2026-03-04"},
    "receive-payment": {"on": "2026-03-05"},
    "extend": {"working_days": 10, "reason": "需调取历史档案", "on": "2026-03-04"},
    "ask-reasons": {"content": "请说明申请的用途及所需信息的范围"},
    "set-reasonable-period": {
        "until": "2026-04-30",
        "reason": "申请理由合理，但所需信息量大",
        "on": "2026-03-04",
    },
    "answer": {"outcome": "disclosed", "reply": "现将所需信息提供如下"},
    "withdraw": {},
    "archive": {},
}

# The spec's lifecycle table: which actions each state allows.
ALLOWED = {
    "registered": {"request-correction", "review", "ask-reasons", "withdraw"},
    "awaiting_correction": {"receive-correction", "lapse", "withdraw"},
    "reviewed": {
        "request-correction",
        "consult",
        "issue-fee-notice",
        "extend",
        "ask-reasons",
        "set-reasonable-period",
        "answer",
        "withdraw",
    },
    "consulting": {"receive-opinion", "extend", "withdraw"},
    "awaiting_fee": {"receive-payment", "lapse", "withdraw"},
    "answered": {"archive"},
    "archived": set(),
}


def case_in_state(state: str, *, actor, **overrides) -> Case:
    """A case brought to `state` through the services (steps dated in March 2026)."""
    case = register_case(actor=actor, received_on=RECEIVED, **overrides)
    day = dt.date(2026, 3, 3)
    if state == "registered":
        return case
    if state == "awaiting_correction":
        return services.case_request_correction(case=case, actor=actor, items="补充", on=day)
    case = services.case_review(case=case, actor=actor, on=day)
    if state == "consulting":
        return services.case_consult(case=case, actor=actor, party="第三方", on=day)
    if state == "awaiting_fee":
        return services.case_issue_fee_notice(
            case=case, actor=actor, basis="per_item", amount=100, on=day
        )
    if state in ("answered", "archived"):
        case = services.case_answer(case=case, actor=actor, outcome="disclosed", on=day)
    if state == "archived":
        case = services.case_archive(case=case, actor=actor, on=dt.date(2026, 3, 4))
    return case


def act(client, case_id: int, action: str, **data):
    return client.post(f"/api/cases/{case_id}/{action}/", data, format="json")
