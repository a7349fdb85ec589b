"""Who may open which admin page: the rules of cases.permissions, asked of the request's user.

The admin grants access by role and agency rather than through Django's per-model permissions.
No rule is written here; each predicate names the rule it asks.
"""

from __future__ import annotations

from .. import permissions


def is_clerk(request) -> bool:
    return permissions.is_clerk(request.user)


def is_platform_admin(request) -> bool:
    return permissions.is_platform_admin(request.user)


def may_manage_user(request, obj=None) -> bool:
    return permissions.may_manage_user(request.user, obj)


def may_manage_own_agency(request) -> bool:
    user = request.user
    # The login page asks too (for its menu), of an anonymous user, who has no agency.
    return user.is_active and permissions.may_manage_agency(user, user.agency_id)


def may_register(request) -> bool:
    user = request.user
    return permissions.is_clerk(user) and permissions.may_act(user, "register", user.agency_id)


class _ClerkAccessMixin:
    """Every clerk may see the module and its pages (each admin scopes the rows)."""

    def has_module_permission(self, request):
        return is_clerk(request)

    def has_view_permission(self, request, obj=None):
        return is_clerk(request)
