"""The queue: the cases the user works on, by tab, filtered, searched and paginated.

A page costs the same number of queries whatever its size: the session and the user, the
calendar (two), the handlers offered as a filter, every tab's count (one aggregate), the page's
rows with their handler; and the row count when the tab has no count of its own ("all").
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import QueryDict

from cases import permissions
from cases.calendar import work_calendar

from .. import selectors
from ..forms import QueueFilterForm
from .common import desk_view, render_page


def _query(params: QueryDict, **changes) -> str:
    query = params.copy()
    for key, value in changes.items():
        query.pop(key, None)
        if value is not None:
            query[key] = value
    return query.urlencode()


@desk_view
def queue(request):
    user = request.user
    ctx = selectors.context_for(user, work_calendar())
    form = QueueFilterForm(request.GET or None, handlers=selectors.handler_choices(user))
    filters = form.cleaned_data if form.is_valid() else {}
    tabs = selectors.tabs_for(user)
    keys = {tab.key for tab in tabs}
    counts = selectors.tab_counts(ctx, filters)
    key = request.GET.get("tab")
    if key not in keys:
        # Searching looks through every case; otherwise one's own work, or, for those who have
        # none of their own (approvers, admins), the agency's.
        key = "all" if filters.get("q") else ("mine" if counts["mine"] else "agency")
    cases = selectors.tab_cases(ctx, key, filters)
    paginator = Paginator(cases, selectors.PAGE_SIZE)
    more = False
    if key in counts:
        # The aggregate counted this tab already: no second COUNT query.
        paginator.__dict__["count"] = counts[key]
    elif filters.get("q"):
        found = cases[: selectors.SEARCH_COUNT_CAP + 1].count()
        more = found > selectors.SEARCH_COUNT_CAP
        paginator.__dict__["count"] = min(found, selectors.SEARCH_COUNT_CAP)
    page = paginator.get_page(request.GET.get("page"))
    rows = selectors.rows(page.object_list, ctx)

    context = {
        "form": form,
        "tabs": [
            {
                "key": tab.key,
                "label": tab.label,
                "count": counts.get(tab.key),
                "query": _query(request.GET, tab=tab.key, page=None),
                "active": tab.key == key,
            }
            for tab in tabs
        ],
        "tab": key,
        "rows": rows,
        "page": page,
        "more": more,
        "page_query": _query(request.GET, tab=key, page=None),
        "today": ctx.today,
        "show_agency": user.is_platform_admin,
        "may_register": permissions.may_act(user, "register", user.agency_id),
        "due_soon_days": selectors.DUE_SOON_DAYS,
    }
    return render_page(request, "desk/queue.html", "desk/_queue.html", context)
