"""The conditions of the case's transitions, each with the message a refusal gives."""

from __future__ import annotations

from ..choices import CaseState

# The functions below take the case (and the user); they are attached to the Case model's
# transitions, so they do not import it.


def _may(action: str):
    def permission(case, user) -> bool:
        return user.may_act(action, case.agency_id)

    permission.__name__ = f"may_{action}"
    return permission


def refused_with(message: str):
    """Give a transition condition the message a refusal shows (services read ``.refusal``)."""

    def decorate(condition):
        condition.refusal = message
        return condition

    return decorate


# A correction restarts the reply period from the corrected request's arrival (Art. 30). A
# consultation or a fee notice already made acted on the request as it stood and was counted
# against the old period (its pause would be added to the new one too), so once either has
# begun, even if the opinion or the payment has come back since, the request can no longer be
# sent back for correction.
CORRECTION_AFTER_CONSULTATION = (
    "已征求第三方或其他机关意见，不能再要求补正：补正告知应在征求意见之前作出（《条例》第三十条）"
)
CORRECTION_AFTER_FEE_NOTICE = (
    "已发出收费通知，不能再要求补正：补正告知应在收费之前作出（《条例》第三十条）"
)
CORRECTION_AFTER_EXTENSION = (
    "已延期答复，不能再要求补正：补正后答复期限重新计算，"
    "原延期将失去依据（《条例》第三十条、第三十三条）"
)


@refused_with("补正告知只能发出一次（《条例》第三十条）")
def correction_not_yet_requested(case) -> bool:
    return case.correction_requested_on is None


@refused_with(CORRECTION_AFTER_CONSULTATION)
def not_yet_consulted(case) -> bool:
    return case.consultation_sent_on is None


@refused_with(CORRECTION_AFTER_FEE_NOTICE)
def no_fee_notice_yet(case) -> bool:
    return case.fee_notice_on is None


@refused_with(CORRECTION_AFTER_EXTENSION)
def not_yet_extended_for_correction(case) -> bool:
    return case.extended_on is None


@refused_with("本申请已发出过收费通知")
def fee_not_yet_charged(case) -> bool:
    return case.fee_notice_on is None


@refused_with("答复期限只能延长一次（《条例》第三十三条）")
def not_yet_extended(case) -> bool:
    return case.extended_on is None


def back_after_correction(case, **kwargs) -> str:
    # A case corrected after review goes back to reviewed: its handler keeps it and need not
    # review it again. Before review it goes back to registered, as before.
    return CaseState.REVIEWED if case.reviewed_on else CaseState.REGISTERED
