"""The checks printed with every annual table. A failed check is reported, never hidden."""

from __future__ import annotations

from typing import Any

from .layout import (
    CARRIED_IN,
    CARRIED_OUT,
    HANDLED,
    NEW,
    TOTAL,
    column_keys,
    column_label,
    cross_check_text,
    outcome_rows,
    row_values,
)


def table_checks(
    table: dict[str, Any], *, previous: tuple[dict[str, int], str] | None
) -> list[dict[str, Any]]:
    """The balance of every column, the outcome rows against their total, and (given
    ``previous``: last year's carried-out and where it comes from) carried-in against it."""
    new, carried_in = row_values(table, NEW), row_values(table, CARRIED_IN)
    handled, carried_out = row_values(table, HANDLED), row_values(table, CARRIED_OUT)
    outcome_keys = set(outcome_rows(table["template"]).values())
    checks = []

    failures = [
        f"{column_label(c)}：{new[c]}+{carried_in[c]}≠{handled[c]}+{carried_out[c]}"
        for c in column_keys()
        if new[c] + carried_in[c] != handled[c] + carried_out[c]
    ]
    checks.append(
        {
            "name": "balance",
            "ok": not failures,
            "detail": "；".join(failures)
            if failures
            else f"各列均满足：{cross_check_text()}（总计列：{new[TOTAL]}+{carried_in[TOTAL]}"
            f"={handled[TOTAL]}+{carried_out[TOTAL]}）",
        }
    )

    sums = {c: sum(row_values(table, key)[c] for key in outcome_keys) for c in column_keys()}
    failures = [
        f"{column_label(c)}：各项办理结果之和{sums[c]}≠总计{handled[c]}"
        for c in column_keys()
        if sums[c] != handled[c]
    ]
    checks.append(
        {
            "name": "outcomes_sum_to_total",
            "ok": not failures,
            "detail": "；".join(failures)
            if failures
            else f"各列办理结果之和等于（七）总计（总计列：{handled[TOTAL]}）",
        }
    )

    if previous is not None:
        previous_out, source = previous
        last_year = table["year"] - 1
        failures = [
            f"{column_label(c)}：上年结转{carried_in[c]}≠{last_year}年结转下年度{previous_out[c]}"
            for c in column_keys()
            if carried_in[c] != previous_out[c]
        ]
        checks.append(
            {
                "name": "carried_in_matches_previous_year",
                "ok": not failures,
                "detail": (
                    "；".join(failures)
                    if failures
                    else f"上年结转与{last_year}年结转下年度一致（总计列：{carried_in[TOTAL]}）"
                )
                + f"。核对依据：{source}",
            }
        )
    return checks
