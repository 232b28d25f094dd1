"""Board pack page wiring: meeting → URL and the printable pack; the Excel download; Print."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from dash import Input, Output, Patch, State, dcc, html, no_update

from dashboard import clock
from dashboard.callbacks import EVERYONE, callback, clientside
from dashboard.domain.formatting import format_date, format_money
from dashboard.queries import board
from dashboard.queries.params import ignore
from dashboard.reports import pack as board_pack
from dashboard.ui import markup
from dashboard.ui.components import illustrative_marker


def meeting_date(value) -> dt.date | None:
    """The chosen meeting's date if it is a recorded board meeting (the browser can send anything)."""
    day = board.recorded_meeting(value)
    if day is None and value not in (None, ""):
        ignore("meeting", value, "not a recorded board meeting")
    return day


def _number(value) -> str:
    text = f"{float(value):,.2f}".rstrip("0").rstrip(".")
    return text or "0"


def cell_text(value, kind: str) -> str:
    """A pack value as the printed page writes it (UK dates, £6.0m money, yes/no, 45%)."""
    if kind == board_pack.DATE:
        return format_date(value)
    if kind == board_pack.DATETIME:
        return f"{value.day} {value:%b %Y %H:%M}" if isinstance(value, dt.datetime) else format_date(value)
    if kind == board_pack.MONEY and not isinstance(value, str):
        return format_money(value)
    if kind == board_pack.YES_NO and not isinstance(value, str):
        return "yes" if value else "no"
    if kind == board_pack.PERCENT and not isinstance(value, str):
        return f"{int(value)}%"
    if kind == board_pack.NUMBER and not isinstance(value, str):
        return _number(value)
    return str(value)


def cell_markup(value, kind: str, heading: str):
    """One cell's content: RAG as text and symbol, the illustrative marker, else the text."""
    if value is None or value == "":
        return ""
    if heading == "Illustrative data":
        flagged = value == "yes" if isinstance(value, str) else bool(value)
        return markup.illustrative_marker() if flagged else ""
    if heading == "RAG":
        return markup.rag_badge(value)
    return cell_text(value, kind)


def table_markup(table: board_pack.Table) -> markup.Html:
    """A pack table as one block of markup (dashboard.ui.markup).

    Drawn as ~2,500 Dash components the pack took 15–20 s to appear in Chromium; as markup, about
    a second.
    """
    wanted = [
        index
        for index, column in enumerate(table.columns)
        if table.print_columns is None or column.heading in table.print_columns
    ]
    numeric_kinds = (board_pack.MONEY, board_pack.NUMBER, board_pack.INTEGER, board_pack.PERCENT)
    numeric = [position for position, i in enumerate(wanted) if table.columns[i].kind in numeric_kinds]

    def cells(values) -> list:
        return [
            cell_markup(
                values[i] if i < len(values) else None, table.columns[i].kind, table.columns[i].heading
            )
            for i in wanted
        ]

    # On screen a wide table scrolls inside a focusable region (no page-wide sideways scroll on a
    # tablet); print CSS lets it run full width.
    return markup.element(
        "div",
        markup.table(
            [table.columns[i].heading for i in wanted],
            (cells(values) for values in table.rows),
            footer=cells(table.total) if table.total else None,
            numeric=numeric,
            class_="table table-sm table-bordered pack-table",
        ),
        class_="table-responsive pack-table-wrap",
        tabindex=0,
        role="region",
        aria_label=table.title or "Board pack table",
    )


def html_table(table: board_pack.Table) -> list:
    children = []
    if table.title:
        children.append(html.H4(table.title, className="h6 mt-3"))
    if not table.rows:
        children.append(html.P(table.empty))
        return children
    more = table.more
    if more is not None:
        children.append(html.P(more.showing(), className="small pack-showing"))
    children.append(markup.block(table_markup(table), "pack-table-block"))
    if more is not None:
        where = dcc.Link(more.page, href=more.href) if more.href else more.page
        children.append(html.P([f"{more.rest_words()} ", where], className="pack-more"))
    return children


def _slug(section: board_pack.Section) -> str:
    return section.sheet.lower().replace(" ", "-")


def running_header(title: str, section: board_pack.Section) -> html.Div:
    """The line heading every section (what a printed page's margin would carry): the pack's title,
    which names the meeting, then the section."""
    return html.Div(
        [html.Span(title), html.Span(section.heading, className="ms-auto")],
        className="pack-running-header d-flex",
    )


def pack_heading(title: str, meeting_title: str, today: dt.date, previous: dt.date | None) -> html.Header:
    """The pack's title and the line under it: the meeting, the date of the figures, and the board
    whose changes the pack counts from."""
    since = (
        f"Changes since the board of {format_date(previous)}" if previous else "No earlier board is recorded"
    )
    return html.Header(
        [
            html.H2(title, className="pack-title", id="pack-title"),
            html.P(
                f"{meeting_title} · figures as at {format_date(today)} · {since}.",
                className="text-body-secondary",
            ),
        ]
    )


def section_element(
    section: board_pack.Section, title: str, heading: html.Header | None = None
) -> html.Section:
    """One section of the printable pack; the first carries the pack's `heading` under its running
    header. The meeting's title is the running header's first child (see meeting_patch)."""
    slug = _slug(section)
    body: list = [running_header(title, section)]
    if heading is not None:
        body.append(heading)
    body.append(html.H3(section.heading, className="h4", id=f"pack-{slug}-heading"))
    if section.sheet == "Summary":
        body.append(html.Ul([html.Li(sentence) for sentence in section.intro], className="pack-sentences"))
    else:
        body += [html.P(sentence) for sentence in section.intro]
    if section.illustrative:
        body.append(
            html.P(
                [
                    illustrative_marker(),
                    " Some figures in this section are illustrative: the source documents do not give them.",
                ],
                className="small",
            )
        )
    for table in section.tables:
        body += html_table(table)
    return html.Section(
        body,
        className="pack-section",
        id=f"pack-section-{slug}",
        **{"aria-labelledby": f"pack-{slug}-heading"},
    )


def pack_document(data: board_pack.PackData) -> list:
    """The pack as printable HTML: one section per sheet (in SHEETS order), each headed with the
    meeting's date."""
    heading = pack_heading(data.title, data.meeting_title, data.today, data.previous_meeting)
    return [
        section_element(section, data.title, heading if number == 0 else None)
        for number, section in enumerate(data.sections)
    ]


def meeting_patch(parts: board_pack.MeetingParts, today: dt.date) -> Patch:
    """The drawn pack turned to another meeting: only what the meeting changes is sent and redrawn (the
    title in every running header, the heading, and the sections about the meeting's window); the
    summary, milestones, actions, savings, KPIs and self-assessment stay as drawn, as at `today`.
    Reading and redrawing the whole pack took half a second at the large size."""
    title = f"Programme board, {format_date(parts.meeting_date)}"
    patch = Patch()
    for index in range(len(board_pack.SHEETS)):
        header = patch[index]["props"]["children"][0]
        header["props"]["children"][0] = html.Span(title)
    patch[0]["props"]["children"][1] = pack_heading(title, parts.meeting_title, today, parts.previous_meeting)
    for section in parts.sections:
        patch[board_pack.SHEETS.index(section.sheet)] = section_element(section, title)
    return patch


# The document is drawn whole when the page opens (and after a day has turned, so every section is
# as at the same date); a change of meeting then patches it (meeting_patch). `pack-drawn` holds the
# date the drawn pack's figures are as at, and stays empty until a whole pack has been drawn.
@callback(
    Output("pack-document", "children"),
    Output("pack-url", "search"),
    Output("pack-drawn", "data"),
    Input("pack-meeting", "value"),
    State("pack-drawn", "data"),
    roles=EVERYONE,
)
def show_pack(meeting, drawn):
    day = meeting_date(meeting)
    if day is None:
        message = "Choose a board meeting to see its pack. No board meetings are recorded yet."
        return [html.P(message)], "", None
    today = clock.today()
    search = "?" + urlencode({"meeting": day.isoformat()})
    if drawn == today.isoformat():
        return meeting_patch(board_pack.meeting_parts(day, today), today), search, no_update
    return pack_document(board_pack.pack_data(day, today)), search, today.isoformat()


@callback(
    Output("pack-download", "data"),
    Output("pack-status", "children"),
    Input("pack-download-xlsx", "n_clicks"),
    State("pack-meeting", "value"),
    roles=EVERYONE,
    prevent_initial_call=True,
    running=[
        (Output("pack-download-xlsx", "disabled"), True, False),
        (Output("pack-progress", "children"), "Building the board pack…", ""),
    ],
)
def download_pack(clicks, meeting):
    if not clicks:
        return no_update, no_update
    day = meeting_date(meeting)
    if day is None:
        return no_update, "Choose a board meeting first."
    data = board_pack.pack_data(day, clock.today())
    filename = board_pack.pack_filename(day)
    return (
        dcc.send_bytes(board_pack.pack_workbook(data), filename),
        f"The board pack for {format_date(day)} is ready: {filename} "
        f"({len(data.sections)} sheets) has been downloaded.",
    )


clientside(
    "function (clicks) { if (clicks) { window.print(); } return ''; }",
    Output("pack-print-status", "children"),
    Input("pack-print", "n_clicks"),
    module=__name__,
    prevent_initial_call=True,
)
