"""What counts as no value, and which words mean yes or no: one rule each for every layer.

A value is missing when nobody gave it: None, NaN (a float's, numpy's or Decimal's), pandas' NaT
and NA. Text is never missing, not even "" or "-": whether blank text shows as "blank" is the
formatter's business (reports/values.py), and reading "-" from a spreadsheet is the importer's.
"""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

# Words a setting or a link may use for yes and no (compared lower-cased, without spaces around).
YES_WORDS = frozenset({"1", "true", "yes", "on"})
NO_WORDS = frozenset({"0", "false", "no", "off"})


def is_missing(value) -> bool:
    """None, NaN, NaT or pandas' NA: a value the source did not give. Text and containers never are."""
    # The common cases first, without pandas: this runs for every cell of a table.
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float):  # numpy's float64 too
        return value != value
    if isinstance(value, str | int):  # bool too
        return False
    if isinstance(value, Decimal):
        return value.is_nan()
    if not pd.api.types.is_scalar(value):
        return False  # a list, a dict, an array: a value, however empty
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def yes_no(text: str | None) -> bool | None:
    """True for a yes word, False for a no word, None for anything else (blank included)."""
    word = (text or "").strip().lower()
    if word in YES_WORDS:
        return True
    if word in NO_WORDS:
        return False
    return None


# A select's "none" option ("No RAG", "Not rated"), as forms send it and services read it. Not "":
# Bootstrap's select keeps a hidden empty option of its own, and a visible option with the same empty
# value would trap the down-arrow on it.
NO_CHOICE = "none"
