"""Check characters of Chinese identity numbers (pure functions, no Django).

- Resident identity card (GB 11643-1999): ISO 7064 MOD 11-2.
- Unified social credit code (GB 32100-2015): weighted sum modulo 31.
- Search keys: identity and phone numbers as typed, normalised for an exact match.
"""

import datetime as dt
import unicodedata

RESIDENT_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
RESIDENT_ID_CHECK = "10X98765432"

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


class InvalidIdentity(ValueError):
    """The number is malformed; the message says why, in the users' language."""


def resident_id_check_char(first17: str) -> str:
    total = sum(int(ch) * weight for ch, weight in zip(first17, RESIDENT_ID_WEIGHTS, strict=True))
    return RESIDENT_ID_CHECK[total % 11]


def validate_resident_id(number: str, *, today: dt.date) -> str:
    """Return the normalised number (upper-case X) or raise InvalidIdentity."""
    number = number.strip().upper()
    if len(number) != 18:
        raise InvalidIdentity("居民身份证号码应为18位")
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise InvalidIdentity("居民身份证号码前17位应为数字，末位应为数字或X")
    try:
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise InvalidIdentity("居民身份证号码中的出生日期无效") from None
    if birth > today or birth.year < 1900:
        raise InvalidIdentity("居民身份证号码中的出生日期无效")
    if resident_id_check_char(number[:17]) != number[17]:
        raise InvalidIdentity("居民身份证号码校验码错误")
    return number


def uscc_check_char(first17: str) -> str:
    total = sum(
        USCC_ALPHABET.index(ch) * weight for ch, weight in zip(first17, USCC_WEIGHTS, strict=True)
    )
    return USCC_ALPHABET[(31 - total % 31) % 31]


def validate_uscc(code: str) -> str:
    """Return the normalised code (upper case) or raise InvalidIdentity."""
    code = code.strip().upper()
    if len(code) != 18:
        raise InvalidIdentity("统一社会信用代码应为18位")
    if any(ch not in USCC_ALPHABET for ch in code):
        raise InvalidIdentity("统一社会信用代码含有不允许的字符（不使用I、O、Z、S、V）")
    if uscc_check_char(code[:17]) != code[17]:
        raise InvalidIdentity("统一社会信用代码校验码错误")
    return code


# Search keys: what a clerk types on the phone is matched exactly against what was stored.
# NFKC folds full-width characters (typed with a Chinese input method) to ASCII.
_SEPARATORS = str.maketrans("", "", " -\u3000\t")


def normalise_id_number(text: str) -> str:
    """An identity number as stored: upper case, without spaces or hyphens."""
    return unicodedata.normalize("NFKC", text).translate(_SEPARATORS).upper()


def normalise_phone(text: str) -> str:
    """A phone number's digits only ("0591-8765 4321" -> "059187654321"); "" when none."""
    return "".join(
        ch for ch in unicodedata.normalize("NFKC", text) if ch.isascii() and ch.isdigit()
    )


def check_identity(
    *, is_organisation: bool, id_type: str, id_number: str, today: dt.date
) -> tuple[str, dict[str, str]]:
    """The identity number as stored (normalised where it has a check character), and the
    errors by field: an organisation gives its credit code, a person their identity card.
    ``id_type`` is a key of cases.choices.IdType."""
    if id_type == "resident_id" and is_organisation:
        return id_number, {"id_type": "法人或其他组织应提供统一社会信用代码或其他证照"}
    if id_type == "uscc" and not is_organisation:
        return id_number, {"id_type": "自然人应提供居民身份证或其他身份证件"}
    try:
        if id_type == "resident_id":
            return validate_resident_id(id_number, today=today), {}
        if id_type == "uscc":
            return validate_uscc(id_number), {}
        if not id_number.strip():
            raise InvalidIdentity("请填写证件号码")
    except InvalidIdentity as err:
        return id_number, {"id_number": str(err)}
    return id_number, {}


def mask_id_number(number: str) -> str:
    """An identity number as lists, exports, mails and logs show it: the first 3 and the last 4
    characters (``350***********1234``); a short number keeps its last character only."""
    if len(number) <= 7:
        return "*" * (len(number) - 1) + number[-1:]
    return number[:3] + "*" * (len(number) - 7) + number[-4:]
