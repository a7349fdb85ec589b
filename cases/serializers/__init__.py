"""Input and output shapes of the case API. Field names are a contract with outside clients."""

from .deadline import (
    DeadlineSerializer,
    PauseSerializer,
    SpecialDaySerializer,
)
from .inputs import (
    ACTION_INPUTS,
    ActionSerializer,
    CaseCreateSerializer,
    CaseUpdateSerializer,
    YearField,
)
from .outputs import (
    AgencySerializer,
    CaseEventSerializer,
    CaseSerializer,
    ChoiceLabelField,
    OutputSerializer,
)

__all__ = [
    "ACTION_INPUTS",
    "ActionSerializer",
    "AgencySerializer",
    "CaseCreateSerializer",
    "CaseEventSerializer",
    "CaseSerializer",
    "CaseUpdateSerializer",
    "ChoiceLabelField",
    "DeadlineSerializer",
    "OutputSerializer",
    "PauseSerializer",
    "SpecialDaySerializer",
    "YearField",
]
