"""The weekly board pack: every section gathered from the pages' own queries, and the Excel workbook.

`pack_data` reads (no Dash imports); `pack_workbook` turns the same tables into an .xlsx, and the
/pack page renders them as printable HTML, so the workbook and the page always show the same rows
and the same totals as the pages they come from.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from dashboard.domain.formatting import financial_year_label, format_date, in_uk_time
from dashboard.queries import actions as action_queries
from dashboard.queries import board
from dashboard.queries import kpis as kpi_queries
from dashboard.queries import overview as overview_queries
from dashboard.queries import savings as saving_queries
from dashboard.queries.milestones import MilestoneFilters, milestones
from dashboard.reports import tables
from dashboard.reports.export import excel_safe_text
from dashboard.reports.tables import (
    ACTIONS,
    MILESTONES,
    NUMBER_FORMATS,
    SAVING_LINES,
    SAVINGS_BY_PROJECT,
    SAVINGS_BY_YEAR,
    TableDefinition,
)

SHEETS = ("Summary", "Milestones", "Actions", "Savings", "KPIs", "Changes since last board")
ILLUSTRATIVE_NOTE = (
    "Rows marked 'yes' under Illustrative data are illustrative: the source documents do not give them."
)

# Column kinds (reports/tables.py) decide the Excel number format and how the printed page writes a value.
TEXT, DATE, DATETIME, MONEY, NUMBER, INTEGER, PERCENT, YES_NO = (
    tables.TEXT,
    tables.DATE,
    tables.DATETIME,
    tables.MONEY,
    tables.NUMBER,
    tables.INTEGER,
    tables.PERCENT,
    tables.YES_NO,
)


def Column(heading: str, kind: str = TEXT) -> tables.Column:
    """A column of a table this module builds row by row (the changes list): its heading is its key."""
    return tables.Column(heading, heading, kind)


@dataclass
class Table:
    """One block of a section: an optional title, a header row, rows, and an optional totals row."""

    columns: list[tables.Column]
    rows: list[list]
    title: str | None = None
    total: list | None = None
    empty: str = "Nothing to show."
    print_columns: tuple[str, ...] | None = None  # the headings the printed page shows (None: all)

    @classmethod
    def of(
        cls,
        definition: TableDefinition,
        records: Iterable[Mapping],
        total: Mapping | None = None,
        **options,
    ) -> Table:
        """A table whose rows (and totals row) are read from records by each column's key."""
        return cls(
            columns=list(definition.columns),
            rows=definition.rows(records),
            total=definition.partial_row(total) if total is not None else None,
            **options,
        )


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


def _uk_time(moment) -> dt.datetime | None:
    """A stored timestamp (naive UTC) as UK wall-clock time, which is what the pages show."""
    moment = tables.plain(moment)
    return None if moment is None else in_uk_time(moment)


def _yes_no(value) -> str:
    return "yes" if bool(tables.plain(value)) else "no"


HEADLINES = TableDefinition(
    "headlines",
    (
        tables.Column("measure", "Measure"),
        tables.Column("number", "Number", INTEGER),
        tables.Column("illustrative", "Illustrative data", YES_NO),
    ),
)
SAVINGS_BY_ORGANISATION = TableDefinition(
    "savings by organisation",
    (
        tables.Column("organisation", "Organisation"),
        SAVING_LINES.column("fy_label"),
        tables.Column("target", "Target", MONEY),
        tables.Column("forecast", "Forecast", MONEY),
        tables.Column("realised", "Realised", MONEY),
        tables.Column("at_risk", "Lines at risk from slippage", INTEGER),
        tables.Column("illustrative", "Illustrative data", YES_NO),
    ),
)


def _summary_section(facts: overview_queries.Overview, sentences: list[str], data_title: str) -> Section:
    ms, ac = facts.milestones, facts.actions
    headlines = [
        ("Milestones", ms.total, ms.illustrative),
        ("Milestones still open", ms.open, ms.illustrative),
        ("Open milestones at Red", ms.red, ms.illustrative),
        ("Open milestones at Amber", ms.amber, ms.illustrative),
        ("Open milestones at Green", ms.green, ms.illustrative),
        ("Milestones overdue", ms.overdue, ms.illustrative),
        ("Milestones due in the next four weeks", ms.due_in_4_weeks, ms.illustrative),
        ("Peer challenge actions", ac.total, ac.illustrative),
        ("Actions open", ac.open, ac.illustrative),
        ("Actions overdue", ac.overdue, ac.illustrative),
        ("Actions complete, awaiting sign-off", ac.awaiting_sign_off, ac.illustrative),
        ("KPIs needing attention", facts.kpis.exceptions, facts.kpis.illustrative),
        *[(f"Updates owed: {owner}", count, False) for owner, count in facts.updates_owed],
    ]
    measures = Table.of(
        HEADLINES,
        [{"measure": name, "number": number, "illustrative": flag} for name, number, flag in headlines],
        title="Headlines",
    )
    savings = Table.of(
        SAVINGS_BY_ORGANISATION,
        [
            {
                "organisation": saving.organisation,
                "fy_label": financial_year_label(saving.financial_year)
                if saving.financial_year is not None
                else None,
                "target": saving.target,
                "forecast": saving.forecast,
                "realised": saving.realised,
                "at_risk": saving.at_risk,
                "illustrative": saving.illustrative,
            }
            for saving in facts.savings
        ],
        title="Savings by organisation (councils' savings are never added together)",
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
MILESTONE_PRINT_KEYS = (
    "project",
    "title",
    "owner",
    "status",
    "rag",
    "percent_complete",
    "baseline_end",
    "forecast_end",
    "actual_end",
    "slippage_working_days",
    "commentary",
    "illustrative",
)
MILESTONE_PRINT_COLUMNS = tuple(MILESTONES.only(*MILESTONE_PRINT_KEYS).headings)


def _milestone_section(today: dt.date) -> Section:
    # The rows the /milestones page shows with no filter, in the columns its download uses.
    frame = milestones(MilestoneFilters(), today)
    records = frame.to_dict("records")
    return Section(
        sheet="Milestones",
        heading="Milestones",
        intro=[f"{len(records)} milestone{'s' if len(records) != 1 else ''}, as on the milestones page."],
        tables=[
            Table.of(
                MILESTONES,
                records,
                empty="No milestones are recorded.",
                print_columns=MILESTONE_PRINT_COLUMNS,
            )
        ],
        illustrative=any(bool(tables.plain(record["illustrative"])) for record in records),
    )


# The pack's columns of the actions download, in the order the board reads them.
PACK_ACTIONS = ACTIONS.only(
    "recommendation",
    "title",
    "project",
    "owner",
    "due_date",
    "display_status",
    "rag",
    "percent_complete",
    "overdue",
    "latest_note_date",
    "latest_note",
    "latest_note_internal",
    "illustrative",
)


def _action_section(today: dt.date) -> Section:
    frame = action_queries.action_items(action_queries.ActionFilters(), today)
    overdue = int(frame["overdue"].sum()) if not frame.empty else 0
    return Section(
        sheet="Actions",
        heading="Peer challenge actions",
        intro=[f"{len(frame)} actions in the letter's order; {overdue} overdue."],
        tables=[Table.of(PACK_ACTIONS, frame.to_dict("records"), empty="No actions are recorded.")],
        illustrative=bool(frame["illustrative"].any()) if not frame.empty else False,
    )


# The pack's columns of the saving lines (each organisation's sheet block names its organisation).
PACK_SAVING_LINES = SAVING_LINES.only(
    "fy_label",
    "programme",
    "project",
    "description",
    "category",
    "target",
    "plain_forecast",
    "realised",
    "variance",
    "confidence",
    "weighted_forecast",
    "fte",
    "milestone",
    "at_risk",
    "illustrative",
)


def _measure_totals(totals: dict) -> dict:
    """An organisation's totals() keyed as the savings tables' measure columns."""
    return {
        "target": totals["target"],
        "plain_forecast": totals["forecast"],
        "realised": totals["realised"],
        "variance": totals["variance"],
        "weighted_forecast": totals["weighted_forecast"],
        "fte": totals["fte"] or None,
    }


def _saving_section(today: dt.date) -> tuple[Section, dict[str, dict]]:
    lines = saving_queries.saving_lines(saving_queries.SavingFilters(), today)
    tables_, all_totals = [], {}
    for organisation, rows in lines.groupby("organisation", sort=True) if not lines.empty else []:
        totals = saving_queries.totals(rows)
        all_totals[organisation] = totals
        count = totals["lines"]
        tables_.append(
            Table.of(
                PACK_SAVING_LINES,
                rows.to_dict("records"),
                total={
                    "fy_label": "Total",
                    "description": f"{count} line{'s' if count != 1 else ''}",
                    **_measure_totals(totals),
                    "at_risk": f"{totals['at_risk']} at risk",
                },
                title=f"{organisation}: saving lines",
            )
        )
        tables_.append(
            Table.of(
                SAVINGS_BY_YEAR,
                saving_queries.by_year(rows).to_dict("records"),
                total={"fy_label": "Total", **_measure_totals(totals), "lines": count},
                title=f"{organisation}: by financial year",
            )
        )
        tables_.append(
            Table.of(
                SAVINGS_BY_PROJECT,
                saving_queries.by_project(rows).to_dict("records"),
                title=f"{organisation}: by project",
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
        tables=tables_ or [Table.of(PACK_SAVING_LINES, [], empty="No saving lines are recorded.")],
        illustrative=bool(lines["illustrative"].any()) if not lines.empty else False,
    )
    return section, all_totals


KPI_EXCEPTIONS = TableDefinition(
    "KPI exceptions",
    (
        tables.Column("kpi", "KPI"),
        tables.Column("kpi_name", "Measure"),
        tables.Column("area", "Area"),
        tables.Column("latest_period", "Latest period"),
        tables.Column("latest_value", "Latest value", NUMBER),
        tables.Column("target", "Target", NUMBER),
        tables.Column("rag", "RAG"),
        tables.Column("red_periods", "Red periods in a row", INTEGER),
        tables.Column("why", "Why it is here"),
        tables.Column("illustrative", "Illustrative data", YES_NO),
    ),
)
KPI_COMPARISON = TableDefinition(
    "KPI constituency comparison",
    (
        tables.Column("kpi", "KPI"),
        tables.Column("kpi_name", "Measure"),
        tables.Column("period_label", "Period"),
        tables.Column("area", "Area"),
        tables.Column("value", "Value", NUMBER),
        tables.Column("target", "Target", NUMBER),
        tables.Column("rag", "RAG"),
        tables.Column("rank", "Rank (1 = best)", INTEGER),
        tables.Column("previous_value", "Previous period", NUMBER),
        tables.Column("change", "Change", NUMBER),
        tables.Column("illustrative", "Illustrative data", YES_NO),
    ),
)


def _kpi_section() -> Section:
    exceptions = kpi_queries.exceptions()
    exception_table = Table.of(
        KPI_EXCEPTIONS,
        exceptions.to_dict("records"),
        title="Exceptions: red for two periods running or a real (not chance) deterioration",
        empty="No KPI is red twice in a row or showing a real deterioration.",
    )
    comparison_records, illustrative = (
        [],
        bool(exceptions["illustrative"].any()) if not exceptions.empty else False,
    )
    for option in kpi_queries.constituency_kpi_options():
        code = option["value"]
        details = kpi_queries.kpi_details(code) or {}
        comparison = kpi_queries.constituency_comparison(code, None)
        # Only the areas that have a value: transition KPIs are reported for the city alone.
        comparison = comparison[comparison["value"].notna()] if not comparison.empty else comparison
        for row in comparison.to_dict("records"):
            flagged = bool(row["illustrative"]) or bool(details.get("illustrative"))
            illustrative = illustrative or flagged
            comparison_records.append(
                {**row, "kpi": code, "kpi_name": details.get("name"), "illustrative": flagged}
            )
    comparison_table = Table.of(
        KPI_COMPARISON,
        comparison_records,
        title="Latest constituency comparison, by KPI",
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
            tables.plain(row["project"]),
            _uk_time(row["at"]),
            tables.plain(row["username"]),
            tables.plain(row["item"]),
            tables.plain(row["kind"]),
            row["old_shown"],
            row["new_shown"],
            tables.plain(row["days_moved"]),
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
    value = tables.plain(value)
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
