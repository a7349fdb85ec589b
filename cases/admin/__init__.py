"""The clerks' screen until a dedicated one exists, one concern per module.

Importing the package registers every admin (Django's autodiscovery imports ``cases.admin``,
which imports each module below).

Access is by role and agency, asked of cases.permissions (``access``); every save and every
action button calls the same services as the API; the state is never an editable field; a
clerk sees only their agency.
"""

from .access import _ClerkAccessMixin
from .agencies import AgencyAdmin
from .calendar import CalendarChangeAdmin, CalendarDayAdmin, CalendarYearAdmin
from .case import CaseAdmin, CaseEventInline, ReceivedYearFilter, StateFilter
from .forms import ACTION_FORMS, ActionForm, CaseAdminForm, action_form
from .users import LoginLockoutAdmin, UserAdmin

__all__ = [
    "ACTION_FORMS",
    "ActionForm",
    "AgencyAdmin",
    "CalendarChangeAdmin",
    "CalendarDayAdmin",
    "CalendarYearAdmin",
    "CaseAdmin",
    "CaseAdminForm",
    "CaseEventInline",
    "LoginLockoutAdmin",
    "ReceivedYearFilter",
    "StateFilter",
    "UserAdmin",
    "_ClerkAccessMixin",
    "action_form",
]
