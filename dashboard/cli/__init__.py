"""The `python -m dashboard …` commands, each in its own module."""
