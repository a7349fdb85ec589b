"""The information processing fee (信息处理费) of 国办函〔2020〕109号, as pure functions.

Two bases, one per request, never both:

- per item (按件计收), counted per applicant per calendar month at one agency: items 1-10 of the
  month are free, 11-30 cost 100 yuan each, and from the 31st each further band of 10 items
  costs 100 yuan per item more than the band before (31-40 at 200, 41-50 at 300, ...). The items
  of a request take the next positions after the applicant's earlier requests of the month;
- per page (按量计收), per request: pages 1-30 free, 31-100 at 10 yuan, 101-200 at 20 yuan, from
  201 at 40 yuan.

``compute_fee`` returns the amount with the bands applied, which the case stores and the fee
notice, the case page and the deadline explanation show.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from decimal import Decimal

PER_ITEM = "per_item"
PER_PAGE = "per_page"
BASES = (PER_ITEM, PER_PAGE)

# 109号 Art. 6(1): per item, per applicant per calendar month.
FREE_ITEMS = 10
ITEM_PRICE = 100  # items 11-30
ITEM_STEP_FROM = 31  # from here, bands of 10, each 100 yuan dearer than the one before
ITEM_BAND = 10
# 109号 Art. 6(2): per page, per request: (first page, last page or None, yuan per page).
PAGE_BANDS = ((1, 30, 0), (31, 100, 10), (101, 200, 20), (201, None, 40))

MAX_QUANTITY = 100_000  # far above any real request; keeps the arithmetic bounded


@dataclass(frozen=True)
class Band:
    first: int  # the first position (item of the month, or page) charged at this price
    last: int
    count: int
    unit_price: int  # yuan
    amount: int


@dataclass(frozen=True)
class FeeComputation:
    basis: str
    quantity: int
    # Per item: the position of this request's first item among the applicant's items of the
    # month (1 for the first request of the month); per page: 1.
    first_position: int
    bands: tuple[Band, ...]
    amount: Decimal

    def as_dict(self) -> dict:
        data = asdict(self)
        data["amount"] = str(self.amount)
        data["bands"] = [asdict(band) for band in self.bands]
        return data


def item_price(position: int) -> int:
    """The price of the item at this position of the applicant's month (1-based)."""
    if position <= FREE_ITEMS:
        return 0
    if position < ITEM_STEP_FROM:
        return ITEM_PRICE
    return ITEM_PRICE * (2 + (position - ITEM_STEP_FROM) // ITEM_BAND)


def _item_band_end(position: int) -> int:
    if position <= FREE_ITEMS:
        return FREE_ITEMS
    if position < ITEM_STEP_FROM:
        return ITEM_STEP_FROM - 1
    return ITEM_STEP_FROM + ((position - ITEM_STEP_FROM) // ITEM_BAND + 1) * ITEM_BAND - 1


def per_item_bands(first_position: int, quantity: int) -> tuple[Band, ...]:
    bands = []
    position, last = first_position, first_position + quantity - 1
    while position <= last:
        end = min(_item_band_end(position), last)
        price, count = item_price(position), end - position + 1
        bands.append(Band(position, end, count, price, price * count))
        position = end + 1
    return tuple(bands)


def per_page_bands(pages: int) -> tuple[Band, ...]:
    bands = []
    for first, last, price in PAGE_BANDS:
        if pages < first:
            break
        end = pages if last is None else min(last, pages)
        count = end - first + 1
        bands.append(Band(first, end, count, price, price * count))
    return tuple(bands)


def quantity_error(quantity: object) -> str | None:
    """Why a quantity (items or pages) cannot be charged, or None."""
    if isinstance(quantity, bool) or not isinstance(quantity, int):
        return "数量应为正整数"
    if not 1 <= quantity <= MAX_QUANTITY:
        return f"数量应为1至{MAX_QUANTITY}之间的整数"
    return None


def compute_fee(*, basis: str, quantity: int, first_position: int = 1) -> FeeComputation:
    """The fee of one request. ``first_position`` (per item only) is 1 + the number of items of
    the applicant's earlier requests at the agency in the same calendar month."""
    if basis not in BASES:
        raise ValueError(f"unknown fee basis {basis!r}")
    if error := quantity_error(quantity):
        raise ValueError(error)
    if basis == PER_ITEM:
        if first_position < 1:
            raise ValueError("first_position starts at 1")
        bands = per_item_bands(first_position, quantity)
    else:
        first_position = 1
        bands = per_page_bands(quantity)
    total = sum(band.amount for band in bands)
    amount = Decimal(total).quantize(Decimal("0.01"))
    return FeeComputation(basis, quantity, first_position, bands, amount)


def computation_lines(computation: dict) -> list[str]:
    """The stored computation (``FeeComputation.as_dict``) in sentences for the clerk and the
    fee notice."""
    if not computation:
        return []
    if computation["basis"] == PER_ITEM:
        first = computation["first_position"]
        last = first + computation["quantity"] - 1
        head = (
            f"按件计收：本申请{computation['quantity']}件，为申请人本月在本机关的"
            f"第{first}" + (f"至{last}" if last != first else "") + "件"
        )
        unit = "件"
    else:
        head = f"按量计收：本申请{computation['quantity']}页"
        unit = "页"
    parts = []
    for band in computation["bands"]:
        span = f"第{band['first']}" + (f"至{band['last']}" if band["last"] != band["first"] else "")
        parts.append(f"{span}{unit}{band['count']}×{band['unit_price']}元={band['amount']}元")
    return [f"{head}；" + "；".join(parts) + f"；合计{computation['amount']}元。"]
