"""Shared pieces of the screens: layout components, form helpers and the one module that builds HTML."""
