"""The source documents, as the board knows them: each stored source names a document by its file
(so it stays traceable) and is shown by the document's title and date, with its section."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Document:
    file: str
    title: str  # how the board refers to it, with its date
    council: str
    what: str  # what the tracker takes from it


DOCUMENTS: tuple[Document, ...] = (
    Document(
        "000_5562131773278c89.txt",
        "Customer Journey cabinet report, 9 Oct 2018",
        "Birmingham City Council",
        "The headline implementation plan (§5.15), the workforce saving (§4.2.2), the ten constituency "
        "teams (§5.9–5.11) and the programme's structure (§5.5).",
    ),
    Document(
        "001_4b868e5d7f70deed.txt",
        "Adult social care peer challenge letter, 2 Dec 2016",
        "Local Government Association, for Birmingham City Council",
        "The areas recommended for further action (1–6, with 1a and 1b) that the action plan answers, and "
        "the letter's strengths and areas for consideration by theme.",
    ),
    Document(
        "002_8bcc04880fb45fa7.txt",
        "West Midlands self-assessment, Oct 2016",
        "Birmingham City Council",
        "The ASCOF benchmarking tables against 15 comparator councils, the carers survey, the front "
        "door's figures and the directorate's finance and performance details.",
    ),
    Document(
        "003_98022dca4a604ec0.txt",
        "Barnet adult social care strategic outline case, 3 Nov 2015",
        "London Borough of Barnet",
        "Barnet's savings targets by year, the project's saving, its next steps and its enquiry flow.",
    ),
    Document(
        "004_9d5ac98048598af2.txt",
        "Transition (Preparation for Adulthood) cabinet report, 26 Jun 2018",
        "Birmingham City Council",
        "The Transition project's products, phases and milestones, its aligned spend and the four "
        "outcomes of its performance dashboard.",
    ),
)
_TITLES = {document.file: document.title for document in DOCUMENTS}
_FILE = re.compile(r"\b(\d{3}_[0-9a-f]{16}\.txt)\b,?\s*")


def cite(source: str | None) -> str:
    """A stored source as the board reads it: '000_5562131773278c89.txt §5.15 Headline Implementation
    Plan' → 'Customer Journey cabinet report, 9 Oct 2018, §5.15 Headline Implementation Plan'."""
    if not source:
        return ""

    def title(match: re.Match) -> str:
        known = _TITLES.get(match.group(1))
        if known is None:
            return match.group(0)
        rest = source[match.end() :]
        return known + (", " if rest and not rest.startswith(";") else "")

    return _FILE.sub(title, str(source)).strip()
