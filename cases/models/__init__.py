"""The models of `cases`, one concern per module; import them from here."""

from ..choices import (
    OPEN_STATES,
    CaseState,
    Channel,
    DayKind,
    DeliveryForm,
    FeeBasis,
    IdType,
    PartyKind,
    ReminderLevel,
    Role,
)
from ..permissions import ACTION_ROLES, CASEWORK_ROLES
from .applicant import Applicant, ApplicantEvent
from .calendar import CalendarChange, CalendarDay, CalendarYear
from .case import Case
from .conditions import (
    CORRECTION_AFTER_CONSULTATION,
    CORRECTION_AFTER_EXTENSION,
    CORRECTION_AFTER_FEE_NOTICE,
)
from .consultation import Consultation
from .events import AppendOnly, CaseEvent, ReferenceCounter
from .people import Agency, LoginLockout, User
from .reminders import ReminderSent

__all__ = [
    "ACTION_ROLES",
    "CASEWORK_ROLES",
    "CORRECTION_AFTER_CONSULTATION",
    "CORRECTION_AFTER_EXTENSION",
    "CORRECTION_AFTER_FEE_NOTICE",
    "OPEN_STATES",
    "Agency",
    "AppendOnly",
    "Applicant",
    "ApplicantEvent",
    "CalendarChange",
    "CalendarDay",
    "CalendarYear",
    "Case",
    "CaseEvent",
    "CaseState",
    "Channel",
    "Consultation",
    "DayKind",
    "DeliveryForm",
    "FeeBasis",
    "IdType",
    "LoginLockout",
    "PartyKind",
    "ReferenceCounter",
    "ReminderLevel",
    "ReminderSent",
    "Role",
    "User",
]
