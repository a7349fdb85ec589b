"""Page-number pagination that never counts a million rows to show fifty.

``page`` and ``page_size`` work as they always did. What changes is ``count``: it is exact up to
``limits.LIST_COUNT_LIMIT`` matching cases, and beyond that it is that limit with
``count_is_exact: false`` (a screen shows "1000+"). Counting stops at the limit, so a page costs
the same two queries (the capped count and the page itself) whether the filter matches twenty
cases or a million. ``next`` is decided by fetching one row more than the page, so it is right
on every page, including pages past the counted limit.

A page after the first picks its ids first (``id IN (SELECT id ... LIMIT n OFFSET m)``): the
rows it skips are then read from the ordering index alone, not fetched whole from the table
(page 1,000 of an agency's list: about 0.2 s before, a few milliseconds after).
"""

from __future__ import annotations

import math

from django.utils.functional import cached_property
from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from . import limits

# The largest OFFSET PostgreSQL takes is a bigint; a page beyond it does not exist.
MAX_OFFSET = 2**63 - 1


class CappedCount:
    """How many rows match, counted up to ``limit`` at most (one query)."""

    def __init__(self, queryset, limit: int):
        self.queryset, self.limit = queryset, limit

    @cached_property
    def counted(self) -> int:
        # COUNT(*) over a LIMIT-ed subquery: the database stops after limit + 1 rows.
        return self.queryset.order_by()[: self.limit + 1].count()

    @property
    def exact(self) -> bool:
        return self.counted <= self.limit

    @property
    def value(self) -> int:
        return min(self.counted, self.limit)


class CappedCountPagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200
    count_limit = limits.LIST_COUNT_LIMIT
    # The browsable API's numbered page links need the number of pages; next/previous remain.
    template = None

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        page_size = self.get_page_size(request)
        self.count = CappedCount(queryset, self.count_limit)
        self.number = self._page_number(request, page_size)
        offset = (self.number - 1) * page_size
        page = queryset[offset : offset + page_size + 1]
        if offset:
            ids = queryset.values("pk")[offset : offset + page_size + 1]
            page = queryset.filter(pk__in=ids)[: page_size + 1]
        rows = list(page)
        self.has_next = len(rows) > page_size
        if not rows and self.number > 1:
            raise NotFound(self.invalid_page_message)
        return rows[:page_size]

    def _page_number(self, request, page_size: int) -> int:
        raw = request.query_params.get(self.page_query_param) or "1"
        if raw in self.last_page_strings:
            if not self.count.exact:
                raise NotFound(self.invalid_page_message)
            return max(1, math.ceil(self.count.value / page_size))
        try:
            number = int(raw)
        except ValueError:
            raise NotFound(self.invalid_page_message) from None
        # Past the last offset the database can express there is no page either.
        if number < 1 or number * page_size >= MAX_OFFSET:
            raise NotFound(self.invalid_page_message)
        return number

    def get_paginated_response(self, data):
        return Response(
            {
                "count": self.count.value,
                "count_is_exact": self.count.exact,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        response["properties"]["count"]["description"] = (
            f"符合条件的申请数；超过{self.count_limit}时为{self.count_limit}"
            "（count_is_exact为false）"
        )
        response["properties"]["count_is_exact"] = {
            "type": "boolean",
            "description": f"count是否为精确数（不超过{self.count_limit}时为精确数）",
        }
        response["required"] = [*response["required"], "count_is_exact"]
        return response

    def get_next_link(self):
        if not self.has_next:
            return None
        url = self.request.build_absolute_uri()
        return replace_query_param(url, self.page_query_param, self.number + 1)

    def get_previous_link(self):
        if self.number <= 1:
            return None
        url = self.request.build_absolute_uri()
        if self.number == 2:
            return remove_query_param(url, self.page_query_param)
        return replace_query_param(url, self.page_query_param, self.number - 1)
