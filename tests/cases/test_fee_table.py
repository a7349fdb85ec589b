"""The 109号 fee calculator (cases.fees), a pure function, against a table of cases from the
measures and the spec's examples."""

from decimal import Decimal

import pytest

from cases.fees import computation_lines, compute_fee, item_price


@pytest.mark.parametrize(
    "position, price",
    [
        (1, 0),
        (10, 0),
        (11, 100),
        (30, 100),
        (31, 200),
        (35, 200),
        (40, 200),
        (41, 300),
        (50, 300),
        (51, 400),
        (101, 900),
    ],
)
def test_item_price_by_position_in_the_month(position, price):
    assert item_price(position) == price


@pytest.mark.parametrize(
    "basis, quantity, first, amount",
    [
        ("per_item", 1, 11, "100"),  # the 11th request of a month
        ("per_item", 1, 35, "200"),  # the 35th
        ("per_item", 3, 29, "400"),  # positions 29-31: 100 + 100 + 200
        ("per_item", 10, 1, "0"),
        ("per_item", 11, 1, "100"),
        ("per_item", 41, 1, "4300"),  # 20x100 + 10x200 + 1x300
        ("per_page", 30, 1, "0"),
        ("per_page", 31, 1, "10"),
        ("per_page", 100, 1, "700"),
        ("per_page", 101, 1, "720"),
        ("per_page", 120, 1, "1100"),  # 70x10 + 20x20
        ("per_page", 200, 1, "2700"),
        ("per_page", 201, 1, "2740"),
    ],
)
def test_fee_table(basis, quantity, first, amount):
    computation = compute_fee(basis=basis, quantity=quantity, first_position=first)
    assert computation.amount == Decimal(amount)
    assert sum(band.count for band in computation.bands) == quantity
    assert sum(band.amount for band in computation.bands) == int(amount)


@pytest.mark.parametrize("quantity", [0, -1, 1.5, "3", True, 100_001])
def test_bad_quantities_raise(quantity):
    with pytest.raises(ValueError):
        compute_fee(basis="per_page", quantity=quantity)


def test_unknown_basis_raises():
    with pytest.raises(ValueError):
        compute_fee(basis="per_word", quantity=1)


def test_the_computation_reads_as_a_sentence():
    stored = compute_fee(basis="per_item", quantity=3, first_position=29).as_dict()
    (line,) = computation_lines(stored)
    assert line == (
        "按件计收：本申请3件，为申请人本月在本机关的第29至31件；"
        "第29至30件2×100元=200元；第31件1×200元=200元；合计400.00元。"
    )
