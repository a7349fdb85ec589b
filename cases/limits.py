"""Bounds on every input the API accepts, in one place.

The API serializers, the list filters and the services read them from here, so that nothing
unbounded reaches the database and the limits can be reviewed together.
"""

import datetime as dt
from decimal import Decimal

from . import clock

# The 2008 Regulations took effect on 1 May 2008: no request, and no step of one, is earlier.
EARLIEST_DATE = dt.date(2008, 5, 1)
EARLIEST_DATE_MESSAGE = "日期不能早于2008年5月1日（《中华人民共和国政府信息公开条例》施行之日）"
# Query parameters may look ahead (due dates), but not to dates no case can have.
LATEST_QUERY_DATE = dt.date(2099, 12, 31)
# The first year of the Regulations, and so of annual reports and list filters.
FIRST_YEAR = 2008


def latest_year() -> int:
    """Next year is the latest any input may name: due dates and holiday notices reach it."""
    return clock.today().year + 1


# Integers that end up in (or are compared against) integer columns.
INT32_MAX = 2**31 - 1
BIGINT_MAX = 2**63 - 1
# The reply-period filter looks at most a year of working days ahead.
DUE_WITHIN_MAX_DAYS = 366

# 国办函〔2020〕109号 bands: per page, the first 30 pages are free, then 10, 20 and 40 元 a page
# (31–100, 101–200, beyond 200), so 100,000 元 would mean some 2,500 pages in one request; per item,
# 100 元 a request from the applicant's 11th in a month, 100 元 more per band of ten from the
# 31st. A realistic request never comes near it, so an amount above it is a typing error.
FEE_AMOUNT_MAX = Decimal("100000.00")  # 元

# Text lengths, in characters. Field names are those of the API.
DESCRIPTION_MAX = 10_000
REPLY_MAX = 20_000
REASON_MAX = 5_000
LEGAL_BASIS_MAX = 200  # the model's column
NOTE_MAX = 2_000
RECEIPT_NUMBER_MAX = 64
CORRECTION_ITEMS_MAX = 5_000
OPINION_MAX = 10_000
EXTENSION_REASON_MAX = 2_000
PARTY_MAX = 200  # the model's column
COMPETENT_AGENCY_MAX = 300  # the model's column
AGENCY_CODE_MAX = 32  # the model's column

# JSON request bodies: nesting deeper than this is never a real request.
JSON_MAX_DEPTH = 32

# The list's count is exact up to this many cases, and "at least this many" beyond
# (cases.pagination): counting every match of a million-case table for each page costs more
# than the page itself. Counting 1,000 matches of a search reads about 1,000 / (its share of
# the cases) rows: 20 ms for a word one case in ten contains, at a million cases.
LIST_COUNT_LIMIT = 1_000

# The list's ?search=: each term is a pair of LIKE scans, so thousands of them cost seconds.
SEARCH_MAX_LENGTH = 200
SEARCH_MAX_TERMS = 10
