"""Plotly figures as plain data: pure functions from rows to figures, testable without a browser."""
