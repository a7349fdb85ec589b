"""The only way to change a case: one service per action.

Every service runs in one transaction: it locks the case row, checks the actor's agency and role,
the state, the dates and the input, runs the FSM transition, saves, and writes the audit event.
The API, the admin, management commands and tasks all call these functions.

Order of refusals: another agency's case is "not found" (404), a role without the right is 403,
an action the state does not allow is 409, bad input is 400 naming the field.
"""

# The error types the services raise, for callers that catch them by this module.
from ..errors import ApplicationError, InvalidInput  # noqa: F401
from .agencies import (
    agency_create,
)
from .applicants import (
    agency_set_volume_threshold,
    applicant_link,
    applicant_merge,
)
from .base import (
    ANSWER_FIELDS,
    DEADLINE_FIELDS,
    EDITABLE_FIELDS,
    RECEIPT_FIELDS,
    REGISTRATION_FIELDS,
    action_label,
    case_deadlines,
    case_facts,
    case_record_event,
)
from .calendar import (
    REPAIR_REASON,
    calendar_change_process,
    calendar_changes_pending,
    calendar_day_delete,
    calendar_day_save,
    calendar_load_from_package,
    calendar_notice_missing,
    calendar_year_delete,
    calendar_year_save,
    open_cases_touching,
    recompute_open_deadlines,
    repair_open_deadlines,
)
from .closing import (
    case_archive,
    case_lapse,
    case_withdraw,
)
from .delivery import (
    NOTICE_FIELDS,
    case_record_delivery,
)
from .dispatch import (
    ACTION_SERVICES,
    allowed_actions,
    case_complete_pending,
    case_recompute_deadlines,
    refused_actions,
)
from .fees import (
    case_issue_fee_notice,
    case_receive_payment,
)
from .registration import (
    HANDLER_REFUSED,
    case_register,
    case_update,
    handler_by_id,
)
from .steps import (
    case_answer,
    case_consult,
    case_extend,
    case_receive_correction,
    case_receive_opinion,
    case_request_correction,
    case_review,
)
from .volume import (
    case_ask_reasons,
    case_set_reasonable_period,
)

__all__ = [
    "ACTION_SERVICES",
    "ANSWER_FIELDS",
    "DEADLINE_FIELDS",
    "EDITABLE_FIELDS",
    "HANDLER_REFUSED",
    "NOTICE_FIELDS",
    "RECEIPT_FIELDS",
    "REGISTRATION_FIELDS",
    "REPAIR_REASON",
    "action_label",
    "agency_create",
    "agency_set_volume_threshold",
    "allowed_actions",
    "applicant_link",
    "applicant_merge",
    "calendar_change_process",
    "calendar_changes_pending",
    "calendar_day_delete",
    "calendar_day_save",
    "calendar_load_from_package",
    "calendar_notice_missing",
    "calendar_year_delete",
    "calendar_year_save",
    "case_answer",
    "case_archive",
    "case_ask_reasons",
    "case_complete_pending",
    "case_consult",
    "case_deadlines",
    "case_extend",
    "case_facts",
    "case_issue_fee_notice",
    "case_lapse",
    "case_receive_correction",
    "case_receive_opinion",
    "case_receive_payment",
    "case_recompute_deadlines",
    "case_record_delivery",
    "case_record_event",
    "case_register",
    "case_request_correction",
    "case_review",
    "case_set_reasonable_period",
    "case_update",
    "case_withdraw",
    "handler_by_id",
    "open_cases_touching",
    "recompute_open_deadlines",
    "refused_actions",
    "repair_open_deadlines",
]
