"""Spreadsheet import page wiring (being built)."""


def register(app) -> None:
    """No callbacks yet."""
