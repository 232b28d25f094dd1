"""Sources are cited as the board knows the documents (title, date, section), never by file name."""

from __future__ import annotations

import re

import pandas as pd
from sqlalchemy import select

from dashboard import models as m
from dashboard.callbacks.kpis.rows import funnel_rows, grid_rows
from dashboard.db import session_scope
from dashboard.domain.sources import cite
from dashboard.reports import tables
from dashboard.reports.download_tables import areas_table

FILE_NAME = re.compile(r"\d{3}_[0-9a-f]{16}\.txt")


def test_a_stored_source_is_cited_by_the_documents_title_date_and_section():
    assert cite("000_5562131773278c89.txt §5.15 Headline Implementation Plan") == (
        "Customer Journey cabinet report, 9 Oct 2018, §5.15 Headline Implementation Plan"
    )
    assert cite("001_4b868e5d7f70deed.txt Areas recommended for further action") == (
        "Adult social care peer challenge letter, 2 Dec 2016, Areas recommended for further action"
    )
    assert cite("000_5562131773278c89.txt §5.15; 004_9d5ac98048598af2.txt §2.3") == (
        "Customer Journey cabinet report, 9 Oct 2018, §5.15; "
        "Transition (Preparation for Adulthood) cabinet report, 26 Jun 2018, §2.3"
    )
    assert cite("002_8bcc04880fb45fa7.txt") == "West Midlands self-assessment, Oct 2016"
    assert cite("003_98022dca4a604ec0.txt §2 savings target table").startswith(
        "Barnet adult social care strategic outline case, 3 Nov 2015, §2"
    )
    assert (
        cite("Imported by admin on 4 Dec 2026 (tracker.xlsx)")
        == "Imported by admin on 4 Dec 2026 (tracker.xlsx)"
    )
    assert cite(None) == ""


def test_the_tables_people_read_cite_documents_by_title(database_url):
    with session_scope() as db:
        stored = db.scalars(select(m.Milestone.source).where(m.Milestone.source.like("000_%"))).first()
    assert stored and FILE_NAME.search(stored)
    for definition in (tables.MILESTONES, tables.ACTIONS, tables.SAVING_LINES):
        row = definition.grid_row({key: None for key in definition.keys} | {"source": stored})
        assert row["source"].startswith("Customer Journey cabinet report, 9 Oct 2018")
        assert not FILE_NAME.search(
            str(definition.row({key: None for key in definition.keys} | {"source": stored}))
        )
    kpi_rows = grid_rows(
        [{"code": "X", "source": "002_8bcc04880fb45fa7.txt ASCOF table 1", "illustrative": False}]
    )
    assert kpi_rows[0]["source"] == "West Midlands self-assessment, Oct 2016, ASCOF table 1"
    funnel = funnel_rows(pd.DataFrame({"derived": [False], "source": ["003_98022dca4a604ec0.txt §7"]}))
    assert funnel["how"].tolist() == ["Barnet adult social care strategic outline case, 3 Nov 2015, §7"]
    areas = areas_table(
        pd.DataFrame(
            {
                "theme": ["Leadership"],
                "kind": ["strength"],
                "text": ["t"],
                "actions": [[]],
                "uncovered": [False],
                "source": ["001_4b868e5d7f70deed.txt Appendix 1"],
            }
        )
    )
    assert areas["Source"].tolist() == ["Adult social care peer challenge letter, 2 Dec 2016, Appendix 1"]
