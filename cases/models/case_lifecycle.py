"""The case's state machine: the transitions of the lifecycle, an abstract part of the Case
model (as its receipt facts and applicant history are), kept here so that the case's module
stays readable.

The case's ``state`` is protected: only these ``@transition`` methods change it, and only the
services in ``cases.services`` call them, so every change is validated, saved and audited in one
transaction. Transitions set fields and nothing else (no mail, no task).
"""

from __future__ import annotations

from django.db import models
from django_fsm import GET_STATE, transition

from .. import vocabulary
from ..actions import ACTIONS
from ..choices import OPEN_STATES, CaseState
from .conditions import (
    CORRECTION_AFTER_CONSULTATION,
    CORRECTION_AFTER_FEE_NOTICE,
    _may,
    back_after_correction,
    correction_not_yet_requested,
    fee_not_yet_charged,
    no_fee_notice_yet,
    not_yet_consulted,
    not_yet_extended,
    not_yet_extended_for_correction,
)
from .people import User


class Lifecycle(models.Model):
    """Each transition sets the fields of its step; the service validated the input."""

    class Meta:
        abstract = True

    @transition(
        field="state",
        source=CaseState.NEW,
        target=CaseState.REGISTERED,
        permission=_may("register"),
        custom={"label": ACTIONS["register"].label, "admin": False},
    )
    def register(self, *, reference: str) -> None:
        self.reference = reference

    @transition(
        field="state",
        # Also after review: the handler often finds the request unclear only on reading it.
        source=[CaseState.REGISTERED, CaseState.REVIEWED],
        target=CaseState.AWAITING_CORRECTION,
        conditions=[
            correction_not_yet_requested,
            not_yet_consulted,
            no_fee_notice_yet,
            not_yet_extended_for_correction,
        ],
        permission=_may("request_correction"),
        custom={
            "label": ACTIONS["request_correction"].label,
            # Why it is refused in states outside its source (cases.services._begin).
            "refused_in": {
                CaseState.CONSULTING: CORRECTION_AFTER_CONSULTATION,
                CaseState.AWAITING_FEE: CORRECTION_AFTER_FEE_NOTICE,
            },
        },
    )
    def request_correction(self, *, on, items: str, period_days: int) -> None:
        self.correction_requested_on = on
        self.correction_items = items
        self.correction_period_days = period_days

    @transition(
        field="state",
        source=CaseState.AWAITING_CORRECTION,
        target=GET_STATE(back_after_correction, states=[CaseState.REGISTERED, CaseState.REVIEWED]),
        permission=_may("receive_correction"),
        custom={"label": ACTIONS["receive_correction"].label},
    )
    def receive_correction(self, *, on) -> None:
        self.correction_received_on = on

    @transition(
        field="state",
        source=[CaseState.AWAITING_CORRECTION, CaseState.AWAITING_FEE],
        target=CaseState.ANSWERED,
        permission=_may("lapse"),
        custom={"label": ACTIONS["lapse"].label},
    )
    def lapse(self, *, on) -> None:
        # Art. 30 (no correction) and 国办函〔2020〕109号 (fee unpaid): the office stops handling.
        if self.state == CaseState.AWAITING_CORRECTION:
            self.outcome = vocabulary.NO_CORRECTION
        else:
            self.outcome = vocabulary.FEE_UNPAID
        self.legal_basis = vocabulary.default_legal_basis(
            self.outcome, regulations=self.regulations
        )
        self.lapsed_on = on
        self.answered_on = on

    @transition(
        field="state",
        source=CaseState.REGISTERED,
        target=CaseState.REVIEWED,
        permission=_may("review"),
        custom={"label": ACTIONS["review"].label},
    )
    def review(self, *, on, handler: User | None) -> None:
        self.reviewed_on = on
        if handler is not None:
            self.assigned_handler = handler

    @transition(
        field="state",
        source=CaseState.REVIEWED,
        target=CaseState.CONSULTING,
        permission=_may("consult"),
        custom={"label": ACTIONS["consult"].label},
    )
    def consult(self, *, on, party: str, party_kind: str) -> None:
        self.consultation_sent_on = on
        self.consultation_party = party
        self.consultation_party_kind = party_kind
        self.opinion_received_on = None
        self.opinion = ""

    @transition(
        field="state",
        source=CaseState.CONSULTING,
        target=CaseState.REVIEWED,
        permission=_may("receive_opinion"),
        custom={"label": ACTIONS["receive_opinion"].label},
    )
    def receive_opinion(self, *, on, opinion: str) -> None:
        self.opinion_received_on = on
        self.opinion = opinion

    @transition(
        field="state",
        source=CaseState.REVIEWED,
        target=CaseState.AWAITING_FEE,
        conditions=[fee_not_yet_charged],
        permission=_may("issue_fee_notice"),
        custom={"label": ACTIONS["issue_fee_notice"].label},
    )
    def issue_fee_notice(self, *, on, basis: str, amount) -> None:
        self.fee_notice_on = on
        self.fee_basis = basis
        self.fee_amount = amount

    @transition(
        field="state",
        source=CaseState.AWAITING_FEE,
        target=CaseState.REVIEWED,
        permission=_may("receive_payment"),
        custom={"label": ACTIONS["receive_payment"].label},
    )
    def receive_payment(self, *, on) -> None:
        self.fee_paid_on = on

    @transition(
        field="state",
        source=[CaseState.REVIEWED, CaseState.CONSULTING],
        target=None,
        conditions=[not_yet_extended],
        permission=_may("extend"),
        custom={"label": ACTIONS["extend"].label},
    )
    def extend(self, *, on, working_days: int, reason: str, approver: User) -> None:
        self.extended_on = on
        self.extension_days = working_days
        self.extension_reason = reason
        self.extension_approved_by = approver

    @transition(
        field="state",
        source=CaseState.REVIEWED,
        target=CaseState.ANSWERED,
        permission=_may("answer"),
        custom={"label": ACTIONS["answer"].label},
    )
    def answer(
        self,
        *,
        on,
        outcome: str,
        reply: str,
        reason: str,
        legal_basis: str,
        delivery: str,
        competent_agency: str = "",
    ) -> None:
        self.outcome = outcome
        self.answered_on = on
        self.competent_agency = competent_agency
        self.reply = reply
        self.reason = reason
        self.legal_basis = legal_basis
        self.delivery = delivery

    @transition(
        field="state",
        source=list(OPEN_STATES),
        target=CaseState.ANSWERED,
        permission=_may("withdraw"),
        custom={"label": ACTIONS["withdraw"].label},
    )
    def withdraw(self, *, on) -> None:
        self.outcome = vocabulary.WITHDRAWN
        self.legal_basis = vocabulary.default_legal_basis(
            self.outcome, regulations=self.regulations
        )
        self.withdrawn_on = on
        self.answered_on = on

    @transition(
        field="state",
        source=CaseState.ANSWERED,
        target=CaseState.ARCHIVED,
        permission=_may("archive"),
        custom={"label": ACTIONS["archive"].label},
    )
    def archive(self, *, on) -> None:
        self.archived_on = on
