"""Board pack page wiring (being built)."""


def register(app) -> None:
    """No callbacks yet."""
