"""The desk's extension points: how another app (the documents app being built) shows its work
on the desk without new desk code. It registers from its ``AppConfig.ready()``:

- ``register_approval_queue(fn)``: ``fn(user)`` returns a ``Q`` over ``cases.Case`` selecting the
  cases that wait for this user's approval (a document submitted for signature, an extension
  proposed), or ``None``. The queue's tab 待我审批 counts and lists the union, in the same single
  query as the other tabs (so spell a relation as ``Q(pk__in=<subquery>)``, not a join). With
  nothing registered the tab is empty.
- ``register_case_panel(fn)``: ``fn(request, case)`` returns ``(template_name, context)`` for a
  panel of the case page (the case's documents: preview, draft text, submit, approve, issue,
  downloads, deliveries), or ``None`` to show nothing.

The actions themselves need nothing here: the case page offers every action that
``cases.services.allowed_actions`` allows and builds its form from ``cases.actions``, and the
timeline shows every audit event, documents' and deliveries' included.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Q

ApprovalQueue = Callable[[Any], "Q | None"]
CasePanel = Callable[[Any, Any], "tuple[str, dict[str, Any]] | None"]

_approval_queues: list[ApprovalQueue] = []
_case_panels: list[CasePanel] = []

# Matches no case (a primary key is never null).
NOTHING = Q(pk__isnull=True)


def register_approval_queue(fn: ApprovalQueue) -> ApprovalQueue:
    if fn not in _approval_queues:
        _approval_queues.append(fn)
    return fn


def register_case_panel(fn: CasePanel) -> CasePanel:
    if fn not in _case_panels:
        _case_panels.append(fn)
    return fn


def approval_q(user) -> Q:
    """The cases waiting for the user's approval, as one condition (NOTHING when none)."""
    found = [q for fn in _approval_queues if (q := fn(user)) is not None]
    if not found:
        return NOTHING
    combined = found[0]
    for q in found[1:]:
        combined |= q
    return combined


def case_panels(request, case) -> list[tuple[str, dict[str, Any]]]:
    return [panel for fn in _case_panels if (panel := fn(request, case)) is not None]
