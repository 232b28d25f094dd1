"""The weekly board pack: every section gathered from the pages' own queries, and the Excel workbook.

`pack_data` reads (no Dash imports); `pack_workbook` turns the same tables into an .xlsx, and the
/pack page renders them as printable HTML, so the workbook and the page always show the same rows
and the same totals as the pages they come from.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from dashboard.downloads import milestone_table
from dashboard.export import excel_safe_text
from dashboard.formatting import UK_TIME, financial_year_label, format_date
from dashboard.queries import actions as action_queries
from dashboard.queries import board
from dashboard.queries import kpis as kpi_queries
from dashboard.queries import overview as overview_queries
from dashboard.queries import savings as saving_queries
from dashboard.queries.milestones import MilestoneFilters, milestones

SHEETS = ("Summary", "Milestones", "Actions", "Savings", "KPIs", "Changes since last board")
ILLUSTRATIVE_NOTE = (
    "Rows marked 'yes' under Illustrative data are illustrative: the source documents do not give them."
)

# Column kinds decide the Excel number format and how the HTML page writes the value.
TEXT, DATE, DATETIME, MONEY, NUMBER, INTEGER, PERCENT, YES_NO = (
    "text",
    "date",
    "datetime",
    "money",
    "number",
    "integer",
    "percent",
    "yes_no",
)
NUMBER_FORMATS = {
    DATE: "d mmm yyyy",
    DATETIME: "d mmm yyyy hh:mm",
    MONEY: "£#,##0",
    NUMBER: "#,##0.0#",
    INTEGER: "0",
    PERCENT: "0",
}


@dataclass(frozen=True)
class Column:
    heading: str
    kind: str = TEXT


@dataclass
class Table:
    """One block of a section: an optional title, a header row, rows, and an optional totals row."""

    columns: list[Column]
    rows: list[list]
    title: str | None = None
    total: list | None = None
    empty: str = "Nothing to show."
    print_columns: tuple[str, ...] | None = None  # the columns the printed page shows (None: all)


@dataclass
class Section:
    sheet: str  # the worksheet's name
    heading: str  # the printed section's heading
    intro: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    illustrative: bool = False


@dataclass
class PackData:
    meeting_date: dt.date
    meeting_title: str
    previous_meeting: dt.date | None
    today: dt.date
    sentences: list[str]
    saving_totals: dict[str, dict]  # organisation → savings totals() of all its lines
    sections: list[Section]

    @property
    def title(self) -> str:
        return f"Programme board, {format_date(self.meeting_date)}"

    def section(self, sheet: str) -> Section:
        return next(section for section in self.sections if section.sheet == sheet)


def _missing(value) -> bool:
    if value is None:
        return True
    if isinstance(value, str | list | dict | tuple):
        return False
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _plain(value):
    """A DataFrame value as a plain Python value (None for missing, dates as dates)."""
    if _missing(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if hasattr(value, "item") and not isinstance(value, str | dt.date | Decimal):
        return value.item()  # numpy scalars
    return value


def _uk_time(moment) -> dt.datetime | None:
    """A stored timestamp (naive UTC) as UK wall-clock time, which is what the pages show."""
    moment = _plain(moment)
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(UK_TIME).replace(tzinfo=None)


def _yes_no(value) -> str:
    return "yes" if bool(_plain(value)) else "no"


def _summary_section(facts: overview_queries.Overview, sentences: list[str], data_title: str) -> Section:
    ms, ac = facts.milestones, facts.actions
    measures = Table(
        title="Headlines",
        columns=[Column("Measure"), Column("Number", INTEGER), Column("Illustrative data", YES_NO)],
        rows=[
            ["Milestones", ms.total, ms.illustrative],
            ["Milestones still open", ms.open, ms.illustrative],
            ["Open milestones at Red", ms.red, ms.illustrative],
            ["Open milestones at Amber", ms.amber, ms.illustrative],
            ["Open milestones at Green", ms.green, ms.illustrative],
            ["Milestones overdue", ms.overdue, ms.illustrative],
            ["Milestones due in the next four weeks", ms.due_in_4_weeks, ms.illustrative],
            ["Peer challenge actions", ac.total, ac.illustrative],
            ["Actions open", ac.open, ac.illustrative],
            ["Actions overdue", ac.overdue, ac.illustrative],
            ["Actions complete, awaiting sign-off", ac.awaiting_sign_off, ac.illustrative],
            ["KPIs needing attention", facts.kpis.exceptions, facts.kpis.illustrative],
            *[[f"Updates owed: {owner}", count, False] for owner, count in facts.updates_owed],
        ],
    )
    savings = Table(
        title="Savings by organisation (councils' savings are never added together)",
        columns=[
            Column("Organisation"),
            Column("Financial year"),
            Column("Target", MONEY),
            Column("Forecast", MONEY),
            Column("Realised", MONEY),
            Column("Lines at risk from slippage", INTEGER),
            Column("Illustrative data", YES_NO),
        ],
        rows=[
            [
                saving.organisation,
                financial_year_label(saving.financial_year) if saving.financial_year is not None else None,
                saving.target,
                saving.forecast,
                saving.realised,
                saving.at_risk,
                saving.illustrative,
            ]
            for saving in facts.savings
        ],
        empty="No saving lines are recorded.",
    )
    illustrative = any(
        [ms.illustrative, ac.illustrative, facts.kpis.illustrative, *(s.illustrative for s in facts.savings)]
    )
    return Section(
        sheet="Summary",
        heading=data_title,
        intro=sentences,
        tables=[measures, savings],
        illustrative=illustrative,
    )


# An A4 page cannot hold all 23 columns of the milestones download; the workbook keeps them all.
MILESTONE_PRINT_COLUMNS = (
    "Project",
    "Milestone",
    "Owner",
    "Status",
    "RAG",
    "% complete",
    "Baseline end",
    "Forecast end",
    "Actual end",
    "Slippage (working days)",
    "Commentary",
    "Illustrative data",
)


def _milestone_section(today: dt.date) -> Section:
    # The rows the /milestones page shows with no filter, in the columns its download uses.
    table = milestone_table(milestones(MilestoneFilters(), today))
    kinds = {
        "% complete": PERCENT,
        "Baseline start": DATE,
        "Baseline end": DATE,
        "Forecast start": DATE,
        "Forecast end": DATE,
        "Actual start": DATE,
        "Actual end": DATE,
        "Slippage (working days)": INTEGER,
        "Slippage (weeks)": NUMBER,
        "Last updated": DATETIME,
    }
    columns = [Column(name, kinds.get(name, TEXT)) for name in table.columns]
    rows = []
    for record in table.itertuples(index=False):
        row = [_plain(value) for value in record]
        updated = table.columns.get_loc("Last updated")
        row[updated] = _uk_time(row[updated])
        rows.append(row)
    return Section(
        sheet="Milestones",
        heading="Milestones",
        intro=[f"{len(rows)} milestone{'s' if len(rows) != 1 else ''}, as on the milestones page."],
        tables=[
            Table(
                columns=columns,
                rows=rows,
                empty="No milestones are recorded.",
                print_columns=MILESTONE_PRINT_COLUMNS,
            )
        ],
        illustrative=any(row[table.columns.get_loc("Illustrative data")] == "yes" for row in rows),
    )


def _action_section(today: dt.date) -> Section:
    frame = action_queries.action_items(action_queries.ActionFilters(), today)
    columns = [
        Column("Recommendation"),
        Column("Action"),
        Column("Delivered by"),
        Column("Owner"),
        Column("Due date", DATE),
        Column("Status"),
        Column("RAG"),
        Column("% complete", PERCENT),
        Column("Overdue", YES_NO),
        Column("Latest note date", DATE),
        Column("Latest note"),
        Column("Latest note is internal", YES_NO),
        Column("Illustrative data", YES_NO),
    ]
    rows = [
        [
            _plain(row["recommendation"]),
            _plain(row["title"]),
            _plain(row["project"]),
            _plain(row["owner"]),
            _plain(row["due_date"]),
            _plain(row["display_status"]),
            _plain(row["rag"]),
            _plain(row["percent_complete"]),
            _plain(row["overdue"]),
            _plain(row["latest_note_date"]),
            _plain(row["latest_note"]),
            _plain(row["latest_note_internal"]) if row["latest_note"] else None,
            _plain(row["illustrative"]),
        ]
        for _, row in frame.iterrows()
    ]
    overdue = int(frame["overdue"].sum()) if not frame.empty else 0
    return Section(
        sheet="Actions",
        heading="Peer challenge actions",
        intro=[f"{len(rows)} actions in the letter's order; {overdue} overdue."],
        tables=[Table(columns=columns, rows=rows, empty="No actions are recorded.")],
        illustrative=bool(frame["illustrative"].any()) if not frame.empty else False,
    )


SAVING_LINE_COLUMNS = [
    Column("Financial year"),
    Column("Programme"),
    Column("Project"),
    Column("Saving"),
    Column("Category"),
    Column("Target", MONEY),
    Column("Forecast", MONEY),
    Column("Realised", MONEY),
    Column("Variance", MONEY),
    Column("Confidence-weighted forecast", MONEY),
    Column("Confidence"),
    Column("FTE", NUMBER),
    Column("Depends on milestone"),
    Column("At risk from slippage", YES_NO),
    Column("Illustrative data", YES_NO),
]
SAVING_SUMMARY_MEASURES = [
    Column("Target", MONEY),
    Column("Forecast", MONEY),
    Column("Realised", MONEY),
    Column("Variance", MONEY),
    Column("Confidence-weighted forecast", MONEY),
    Column("FTE", NUMBER),
    Column("Lines", INTEGER),
]


def _summary_row(row) -> list:
    return [
        row["target"],
        row["plain_forecast"],
        row["realised"],
        row["variance"],
        row["weighted_forecast"],
        _plain(row["fte"]),
        int(row["lines"]),
    ]


def _saving_section(today: dt.date) -> tuple[Section, dict[str, dict]]:
    lines = saving_queries.saving_lines(saving_queries.SavingFilters(), today)
    tables, all_totals = [], {}
    for organisation, rows in lines.groupby("organisation", sort=True) if not lines.empty else []:
        totals = saving_queries.totals(rows)
        all_totals[organisation] = totals
        line_rows = [
            [
                row["fy_label"],
                _plain(row["programme"]),
                _plain(row["project"]),
                _plain(row["description"]),
                saving_queries.CATEGORY_LABELS.get(row["category"], row["category"]),
                row["target"],
                row["plain_forecast"],
                _plain(row["realised"]),
                row["variance"],
                row["weighted_forecast"],
                _plain(row["fte"]),
                _plain(row["milestone"]),
                _plain(row["at_risk"]),
                _plain(row["illustrative"]),
            ]
            for _, row in rows.iterrows()
        ]
        tables.append(
            Table(
                title=f"{organisation}: saving lines",
                columns=SAVING_LINE_COLUMNS,
                rows=line_rows,
                total=[
                    "Total",
                    None,
                    None,
                    f"{totals['lines']} line{'s' if totals['lines'] != 1 else ''}",
                    None,
                    totals["target"],
                    totals["forecast"],
                    totals["realised"],
                    totals["variance"],
                    totals["weighted_forecast"],
                    totals["fte"] or None,
                    None,
                    f"{totals['at_risk']} at risk",
                    None,
                ],
            )
        )
        years = saving_queries.by_year(rows)
        tables.append(
            Table(
                title=f"{organisation}: by financial year",
                columns=[Column("Financial year"), *SAVING_SUMMARY_MEASURES],
                rows=[[row["fy_label"], *_summary_row(row)] for _, row in years.iterrows()],
                total=[
                    "Total",
                    totals["target"],
                    totals["forecast"],
                    totals["realised"],
                    totals["variance"],
                    totals["weighted_forecast"],
                    totals["fte"] or None,
                    totals["lines"],
                ],
            )
        )
        projects = saving_queries.by_project(rows)
        tables.append(
            Table(
                title=f"{organisation}: by project",
                columns=[Column("Programme"), Column("Project"), *SAVING_SUMMARY_MEASURES],
                rows=[
                    [row["programme"], row["project"], *_summary_row(row)] for _, row in projects.iterrows()
                ],
            )
        )
    section = Section(
        sheet="Savings",
        heading="Savings against targets",
        intro=[
            "Each organisation's savings are shown separately: councils' savings are never added together. "
            "Forecast counts a line with no forecast yet at its target; the confidence-weighted forecast "
            "weights each line by its delivery confidence."
        ],
        tables=tables or [Table(columns=SAVING_LINE_COLUMNS, rows=[], empty="No saving lines are recorded.")],
        illustrative=bool(lines["illustrative"].any()) if not lines.empty else False,
    )
    return section, all_totals


def _kpi_section() -> Section:
    exceptions = kpi_queries.exceptions()
    exception_table = Table(
        title="Exceptions: red for two periods running or a real (not chance) deterioration",
        columns=[
            Column("KPI"),
            Column("Measure"),
            Column("Area"),
            Column("Latest period"),
            Column("Latest value", NUMBER),
            Column("Target", NUMBER),
            Column("RAG"),
            Column("Red periods in a row", INTEGER),
            Column("Why it is here"),
            Column("Illustrative data", YES_NO),
        ],
        rows=[
            [
                _plain(row["kpi"]),
                _plain(row["kpi_name"]),
                _plain(row["area"]),
                _plain(row["latest_period"]),
                _plain(row["latest_value"]),
                _plain(row["target"]),
                _plain(row["rag"]),
                _plain(row["red_periods"]),
                _plain(row["why"]),
                _plain(row["illustrative"]),
            ]
            for _, row in exceptions.iterrows()
        ],
        empty="No KPI is red twice in a row or showing a real deterioration.",
    )
    comparison_rows, illustrative = (
        [],
        bool(exceptions["illustrative"].any()) if not exceptions.empty else False,
    )
    for option in kpi_queries.constituency_kpi_options():
        code = option["value"]
        details = kpi_queries.kpi_details(code) or {}
        comparison = kpi_queries.constituency_comparison(code, None)
        # Only the areas that have a value: transition KPIs are reported for the city alone.
        comparison = comparison[comparison["value"].notna()] if not comparison.empty else comparison
        for _, row in comparison.iterrows():
            flagged = bool(row["illustrative"]) or bool(details.get("illustrative"))
            illustrative = illustrative or flagged
            comparison_rows.append(
                [
                    code,
                    details.get("name"),
                    _plain(row["period_label"]),
                    _plain(row["area"]),
                    _plain(row["value"]),
                    _plain(row["target"]),
                    _plain(row["rag"]),
                    _plain(row["rank"]),
                    _plain(row["previous_value"]),
                    _plain(row["change"]),
                    flagged,
                ]
            )
    comparison_table = Table(
        title="Latest constituency comparison, by KPI",
        columns=[
            Column("KPI"),
            Column("Measure"),
            Column("Period"),
            Column("Area"),
            Column("Value", NUMBER),
            Column("Target", NUMBER),
            Column("RAG"),
            Column("Rank (1 = best)", INTEGER),
            Column("Previous period", NUMBER),
            Column("Change", NUMBER),
            Column("Illustrative data", YES_NO),
        ],
        rows=comparison_rows,
        empty="No constituency values are recorded.",
    )
    codes = len(dict.fromkeys(exceptions["kpi"])) if not exceptions.empty else 0
    return Section(
        sheet="KPIs",
        heading="KPIs",
        intro=[
            f"{codes} KPI{'s' if codes != 1 else ''} {'needs' if codes == 1 else 'need'} attention "
            f"({len(exceptions)} area{'s' if len(exceptions) != 1 else ''})."
        ],
        tables=[exception_table, comparison_table],
        illustrative=illustrative,
    )


def chosen_meeting(query_value: str | None, meetings: list[board.Meeting], today: dt.date) -> str | None:
    """The meeting in the URL if it is one; else the next meeting on or after today; else the latest."""
    dates = [meeting.meeting_date for meeting in meetings]
    if query_value in {day.isoformat() for day in dates}:
        return query_value
    if not dates:
        return None
    upcoming = [day for day in dates if day >= today]
    return (upcoming[0] if upcoming else dates[-1]).isoformat()


def meeting_window(
    meeting_date: dt.date, meetings: list[board.Meeting]
) -> tuple[dt.date | None, dt.datetime]:
    """The previous meeting's date (changes from its start, as the overview counts them) and the
    start of the day after the chosen meeting (naive UTC, as the audit trail stores time)."""
    earlier = [meeting.meeting_date for meeting in meetings if meeting.meeting_date < meeting_date]
    until = dt.datetime.combine(meeting_date + dt.timedelta(days=1), dt.time.min)
    return (earlier[-1] if earlier else None), until


def _change_section(meeting_date: dt.date, previous: dt.date | None, until: dt.datetime) -> Section:
    changes = board.changes_since(previous or dt.date(1970, 1, 1), until=until)
    if not changes.empty:
        changes = changes.sort_values(["project", "at"], kind="stable")
    rows = [
        [
            _plain(row["project"]),
            _uk_time(row["at"]),
            _plain(row["username"]),
            _plain(row["item"]),
            _plain(row["kind"]),
            row["old_shown"],
            row["new_shown"],
            _plain(row["days_moved"]),
        ]
        for _, row in changes.iterrows()
    ]
    since = f"after the board of {format_date(previous)}" if previous else "since records began"
    return Section(
        sheet="Changes since last board",
        heading="Changes since the last board",
        intro=[
            f"{len(rows)} change{'s' if len(rows) != 1 else ''} {since}, up to the end of "
            f"{format_date(meeting_date)}, grouped by project."
        ],
        tables=[
            Table(
                columns=[
                    Column("Project"),
                    Column("When (UK time)", DATETIME),
                    Column("Who"),
                    Column("Item"),
                    Column("Change"),
                    Column("From"),
                    Column("To"),
                    Column("Days moved", INTEGER),
                ],
                rows=rows,
                empty="No changes in this period.",
            )
        ],
    )


def pack_data(meeting_date: dt.date, today: dt.date) -> PackData:
    """Everything the pack for the board of `meeting_date` shows, from the pages' own queries."""
    meetings = board.board_meetings()
    meeting = next((item for item in meetings if item.meeting_date == meeting_date), None)
    previous, until = meeting_window(meeting_date, meetings)
    facts = overview_queries.overview(today)
    sentences = overview_queries.plain_language(facts)
    title = f"Programme board, {format_date(meeting_date)}"
    savings, saving_totals = _saving_section(today)
    sections = [
        _summary_section(facts, sentences, "Summary"),
        _milestone_section(today),
        _action_section(today),
        savings,
        _kpi_section(),
        _change_section(meeting_date, previous, until),
    ]
    return PackData(
        meeting_date=meeting_date,
        meeting_title=meeting.title if meeting else title,
        previous_meeting=previous,
        today=today,
        sentences=sentences,
        saving_totals=saving_totals,
        sections=sections,
    )


def _excel_value(value, kind: str):
    value = _plain(value)
    if value is None:
        return None
    if kind == YES_NO and not isinstance(value, str):
        return _yes_no(value)
    if kind == DATE and isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, str):
        return excel_safe_text(value)
    return value


def _write_table(sheet, table: Table, start_row: int) -> int:
    """Write one block from `start_row`; returns the next free row (after a blank one)."""
    row_number = start_row
    if table.title:
        sheet.cell(row=row_number, column=1, value=excel_safe_text(table.title)).font = Font(
            bold=True, size=12
        )
        row_number += 1
    for index, column in enumerate(table.columns, start=1):
        cell = sheet.cell(row=row_number, column=index, value=excel_safe_text(column.heading))
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    row_number += 1
    if not table.rows:
        sheet.cell(row=row_number, column=1, value=excel_safe_text(table.empty))
        row_number += 1
    body = [*table.rows, *([table.total] if table.total else [])]
    for position, values in enumerate(body):
        is_total = table.total is not None and position == len(body) - 1
        for index, column in enumerate(table.columns, start=1):
            value = values[index - 1] if index - 1 < len(values) else None
            if is_total and column.kind == YES_NO and not isinstance(value, str):
                value = None
            cell = sheet.cell(row=row_number, column=index, value=_excel_value(value, column.kind))
            if column.kind in NUMBER_FORMATS and cell.value is not None and not isinstance(cell.value, str):
                cell.number_format = NUMBER_FORMATS[column.kind]
            if is_total:
                cell.font = Font(bold=True)
        row_number += 1
    return row_number + 1


def _fit_columns(sheet) -> None:
    for column_cells in sheet.iter_cols(min_row=1, max_row=min(sheet.max_row, 300)):
        letter = get_column_letter(column_cells[0].column)
        longest = max(
            (len(str(cell.value)) for cell in column_cells[3:] if cell.value is not None), default=8
        )
        sheet.column_dimensions[letter].width = min(60, max(10, longest + 2))


def pack_workbook(data: PackData) -> bytes:
    """The pack as an .xlsx: one sheet per section, each headed with the meeting it is for."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for section in data.sections:
        sheet = workbook.create_sheet(section.sheet[:31])
        sheet.cell(row=1, column=1, value=excel_safe_text(f"{data.title}: {section.heading}")).font = Font(
            bold=True, size=14
        )
        prepared = sheet.cell(row=2, column=1, value="Prepared on")
        prepared.font = Font(bold=True)
        date_cell = sheet.cell(row=2, column=2, value=data.today)
        date_cell.number_format = NUMBER_FORMATS[DATE]
        row_number = 3
        for sentence in section.intro:
            sheet.cell(row=row_number, column=1, value=excel_safe_text(sentence))
            row_number += 1
        if section.illustrative:
            sheet.cell(row=row_number, column=1, value=ILLUSTRATIVE_NOTE).font = Font(italic=True)
            row_number += 1
        row_number += 1
        for table in section.tables:
            row_number = _write_table(sheet, table, row_number)
        _fit_columns(sheet)
        sheet.column_dimensions["A"].width = max(sheet.column_dimensions["A"].width or 10, 24)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def pack_filename(meeting_date: dt.date) -> str:
    return f"board-pack-{meeting_date.isoformat()}.xlsx"
