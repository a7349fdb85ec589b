"""Check characters, against published examples (GB 11643-1999, GB 32100-2015)."""

import datetime as dt

import pytest

from cases.identity import InvalidIdentity, validate_resident_id, validate_uscc

TODAY = dt.date(2026, 11, 22)


@pytest.mark.parametrize(
    "number, normalised",
    [
        ("11010519491231002X", "11010519491231002X"),  # GB 11643-1999 example
        ("11010519491231002x", "11010519491231002X"),  # lower-case x accepted, stored upper
        (" 11010519491231002X ", "11010519491231002X"),
    ],
)
def test_valid_resident_ids(number, normalised):
    assert validate_resident_id(number, today=TODAY) == normalised


@pytest.mark.parametrize(
    "number, message",
    [
        ("110105194912310021", "校验码错误"),  # last character changed
        ("11010519491231002", "18位"),
        ("1101051949123100AX", "前17位"),
        ("110105194902300027", "出生日期"),  # 30 February
        ("110105203001010010", "出生日期"),  # born in the future
    ],
)
def test_invalid_resident_ids(number, message):
    with pytest.raises(InvalidIdentity, match=message):
        validate_resident_id(number, today=TODAY)


@pytest.mark.parametrize("code", ["91350100M000100Y43", "91110000600037341L", "91350100m000100y43"])
def test_valid_uscc(code):
    assert validate_uscc(code) == code.upper()


@pytest.mark.parametrize(
    "code, message",
    [
        ("91350100M000100Y44", "校验码错误"),
        ("91350100M000100Y4", "18位"),
        ("91350100M0001O0Y43", "不允许的字符"),  # letter O is not in the alphabet
    ],
)
def test_invalid_uscc(code, message):
    with pytest.raises(InvalidIdentity, match=message):
        validate_uscc(code)
