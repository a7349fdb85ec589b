"""What every desk view shares: who may enter, the case a user may see, partial or whole page."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render

from cases import permissions
from cases.models import Case
from cases.selectors import case_list


def desk_view(view):
    """Logged in, and working in the system (a member of an agency, or a platform admin)."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not permissions.is_clerk(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def case_or_404(user, pk: int) -> Case:
    """The case if the user's agency holds it; another agency's case does not exist for them."""
    return get_object_or_404(case_list(user=user), pk=pk)


def render_page(request, page: str, partial: str, context: dict, *, status: int = 200):
    """The partial template for htmx's own requests (the piece it swaps), else the whole page."""
    template = partial if request.htmx and not request.htmx.boosted else page
    return render(request, template, context, status=status)
