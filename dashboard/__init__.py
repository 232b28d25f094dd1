"""Programme milestone and benefits tracker for an Adult Social Care and Health directorate."""

__version__ = "0.1.0"
