"""Document numbers (文号), spec §2 and GB/T 9704-2012 §7.2.4: pure functions."""

from __future__ import annotations

import string

from .vocabulary import DEFAULT_PREFIX_WORDS, NUMBER_PLACEHOLDERS


def default_prefix(agency_code: str, kind: str) -> str:
    return f"{agency_code}{DEFAULT_PREFIX_WORDS[kind]}"


def format_problem(number_format: str) -> str | None:
    """Why a numbering format cannot be used, or None.

    It must name {year} and {seq} (one sequence per year: without either, two documents could
    get the same number) and no other placeholder.
    """
    try:
        parsed = [
            (name, spec, conv)
            for _, name, spec, conv in string.Formatter().parse(number_format)
            if name is not None
        ]
    except ValueError:
        return "文号格式中的花括号不成对；占位符应写作 {prefix}、{year}、{seq}"
    if any(spec or conv for _, spec, conv in parsed):
        # GB/T 9704: the sequence number is written without leading zeros; no padding either.
        return "占位符不能带格式说明（如 {seq:03d}），顺序号不编虚位"
    fields = [name for name, _, _ in parsed]
    unknown = sorted({name for name in fields if name not in NUMBER_PLACEHOLDERS})
    if unknown:
        listed = "、".join("{" + name + "}" for name in unknown)
        return f"文号格式含有未知占位符：{listed}（可用：{{prefix}}、{{year}}、{{seq}}）"
    missing = [name for name in ("year", "seq") if name not in fields]
    if missing:
        listed = "、".join("{" + name + "}" for name in missing)
        return f"文号格式必须包含{listed}"
    return None


def format_number(number_format: str, *, prefix: str, year: int, seq: int) -> str:
    """E.g. 闽人社公开复〔2026〕12号: the year in full, the sequence without leading zeros."""
    return number_format.format(prefix=prefix, year=year, seq=seq)
