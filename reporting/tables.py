"""Old import path of the annual table, kept while its callers move.

The table's layout (templates, columns, rows and their keys) now lives in ``reporting.layout``,
the counting in ``reporting.selectors`` (``annual_table``, ``TableEntry``) and the checks in
``reporting.checks``. New code imports from there; this module only re-exports them.
"""

from .checks import table_checks
from .layout import (
    ALL_AGENCIES,
    ALL_AGENCIES_NAME,
    CARRIED_IN,
    CARRIED_OUT,
    FIRST_YEAR,
    HANDLED,
    NEW,
    TEMPLATE_CHOICES,
    TEMPLATE_NOTICES,
    TEMPLATES,
    TOTAL,
    applicant_types,
    column_keys,
    columns,
    cross_check_text,
    default_template,
    outcome_rows,
    row_values,
    template_rows,
    year_bounds,
)
from .selectors import TableEntry, annual_table

__all__ = [
    "ALL_AGENCIES",
    "ALL_AGENCIES_NAME",
    "CARRIED_IN",
    "CARRIED_OUT",
    "FIRST_YEAR",
    "HANDLED",
    "NEW",
    "TEMPLATES",
    "TEMPLATE_CHOICES",
    "TEMPLATE_NOTICES",
    "TOTAL",
    "TableEntry",
    "annual_table",
    "applicant_types",
    "column_keys",
    "columns",
    "cross_check_text",
    "default_template",
    "outcome_rows",
    "row_values",
    "table_checks",
    "template_rows",
    "year_bounds",
]
