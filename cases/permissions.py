"""Who may do what: the one place the role rules live.

Platform admins (active superusers) may do everything in every agency. A clerk sees their own
agency only, and acts on its cases as their role allows (the roles per action are part of each
action's description in cases.actions). Agency admins manage their agency's users, lockouts,
document settings and annual reports.
"""

from __future__ import annotations

from .actions import ACTIONS, CASEWORK_ROLES, STAFF
from .choices import Role

# The functions take a cases.models.User; they do not import it, because the model asks them.

__all__ = [
    "ACTION_ROLES",
    "CASEWORK_ROLES",
    "STAFF",
    "allowed_roles_text",
    "is_agency_admin",
    "is_clerk",
    "may_act",
    "may_manage_agency",
    "may_manage_user",
    "may_see",
]

ACTION_ROLES: dict[str, frozenset[str]] = {name: a.roles for name, a in ACTIONS.items()}


def is_platform_admin(user) -> bool:
    return user.is_active and user.is_superuser


def is_clerk(user) -> bool:
    """A user who works in the system at all: a platform admin, or a member of an agency."""
    return user.is_active and (user.is_superuser or user.agency_id is not None)


def is_agency_admin(user) -> bool:
    return user.is_active and user.agency_id is not None and user.role == Role.AGENCY_ADMIN


def may_see(user, agency_id: int) -> bool:
    return is_platform_admin(user) or (user.is_active and user.agency_id == agency_id)


def may_act(user, action: str, agency_id: int) -> bool:
    if is_platform_admin(user):
        return True
    return may_see(user, agency_id) and user.role in ACTION_ROLES[action]


def may_manage_agency(user, agency_id: int) -> bool:
    """Annual reports, document settings, lockouts: the agency admin's (and platform's) work."""
    return is_platform_admin(user) or (may_see(user, agency_id) and is_agency_admin(user))


def may_manage_user(user, other=None) -> bool:
    """Agency admins manage their own agency's users (never a platform admin)."""
    if user.is_superuser and user.is_active:
        return True
    if not is_agency_admin(user):
        return False
    return other is None or (other.agency_id == user.agency_id and not other.is_superuser)


def allowed_roles_text(action: str) -> str:
    return "、".join(Role(r).label for r in sorted(ACTION_ROLES[action]))
