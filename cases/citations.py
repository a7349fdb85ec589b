"""Checks a legal basis typed by hand against the text it cites.

A reply's legal basis is what the office defends at a reconsideration hearing: a basis citing
"第六十条" of the Regulations (which have 56 articles, or 38 in the 2008 text) cites nothing.
Articles named after another statute's title (《保守国家秘密法》第九条) are that statute's and are
not checked; articles before any title, or after the Regulations' own title, are the
Regulations'.
"""

from __future__ import annotations

import re

from . import vocabulary

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6}
_DIGITS.update({"七": 7, "八": 8, "九": 9})
_UNITS = {"十": 10, "百": 100}
_TOKEN = re.compile(r"《([^》]+)》|第([零〇一二两三四五六七八九十百\d]+)条")
_REGULATIONS_TITLES = {"中华人民共和国政府信息公开条例", "政府信息公开条例", "条例"}


def chinese_number(text: str) -> int:
    """三十六 → 36, 十二 → 12, 一百零五 → 105; Arabic digits pass through."""
    if text.isdigit():
        return int(text)
    total, digit = 0, 0
    for char in text:
        if char in _DIGITS:
            digit = _DIGITS[char]
        else:
            total += (digit or 1) * _UNITS[char]
            digit = 0
    return total + digit


def cited_articles(text: str) -> tuple[list[int], int]:
    """(the Regulations' article numbers cited, how many articles of any text are cited)."""
    regulations: list[int] = []
    cited = 0
    current_title = None
    for match in _TOKEN.finditer(text):
        title, article = match.groups()
        if title is not None:
            current_title = title
            continue
        cited += 1
        if current_title is None or current_title in _REGULATIONS_TITLES:
            regulations.append(chinese_number(article))
    return regulations, cited


def legal_basis_error(text: str, regulations: str) -> str | None:
    """Why the basis cannot stand, or None. ``regulations`` is "2019" or "2008"."""
    numbers, cited = cited_articles(text)
    if cited == 0:
        example = "《中华人民共和国政府信息公开条例》第三十六条第（二）项"
        return f"法律依据应注明具体条款，例如“{example}”"
    limit = vocabulary.ARTICLES_2019 if regulations == "2019" else vocabulary.ARTICLES_2008
    missing = sorted({n for n in numbers if not 1 <= n <= limit})
    if missing:
        statute = vocabulary.STATUTE_2019 if regulations == "2019" else vocabulary.STATUTE_2008
        listed = "、".join(f"第{n}条" for n in missing)
        return f"本申请适用{statute}，该条例共{limit}条，没有{listed}"
    return None
