"""Shared layout pieces: the app shell and navbar, RAG badges, illustrative-data markers, notices."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html
from flask_wtf.csrf import generate_csrf

from dashboard import policy
from dashboard.auth import signed_in_user
from dashboard.ui.markup import ILLUSTRATIVE_NOTE, rag_parts

ALL = "all"  # the "All" choice of a filter select (an empty value would show as a blank select)
NOTICE_ID = "app-notice"  # the page's plain notice: what a link or a request asked that was not done

# Every table's options:
# - Tab leaves a data grid instead of stepping through every cell (arrow keys move between cells),
#   so keyboard users reach the controls after a long table (WCAG 2.1.1);
# - rows and columns are drawn where they belong, not animated there: after a filter's answer had
#   arrived, AG Grid spent about 0.2 s sliding the new page of rows in and 0.2 s more moving its
#   columns, time in which the page was still changing under the reader (and motion nobody asked for).
GRID_OPTIONS = {
    "tabToNextCell": {"function": "leaveGridOnTab(params)"},
    "tabToNextHeader": {"function": "leaveGridOnTab(params)"},
    "animateRows": False,
    "suppressColumnMoveAnimation": True,
}
# Every table: on a phone only its key columns (assets/dashAgGridFunctions.js), and a chosen row's every
# column in the details under it (grid_details). Enter on a row the user may edit opens its update form
# (assets/editPanels.js; both report through the grid's eventData).
GRID_EVENTS = {
    "gridSizeChanged": ["keyColumnsWhenNarrow(params)"],
    "firstDataRendered": ["keyColumnsWhenNarrow(params)"],
    "rowClicked": ["rowDetails(params, setEventData)"],
    "cellKeyDown": ["enterOnRow(params, setEventData)"],
}
PHONE = {"context": {"phone": True}}  # a column a table keeps on a phone
UPDATE_COLUMN = {
    "colId": "update",
    "headerName": "Update",
    "cellRenderer": "UpdateButton",
    "pinned": "left",
    "width": 96,
    "minWidth": 96,
    "sortable": False,
    "filter": False,
    "resizable": False,
    "suppressMovable": True,
}


PHONE_MIN_WIDTH = 72
WIDE_SCREEN = 1280  # px: a laptop or projector


def phone_ready(columns: list[dict]) -> list[dict]:
    """A table's columns as drawn on a wide screen (each at its minimum width, or as it flexes), able to
    shrink to share a phone's width (assets/dashAgGridFunctions.js: keyColumnsWhenNarrow).

    A column that flexes keeps its minimum on a wide screen, unless a phone keeps it (a key column):
    then it flexes from the phone's minimum when the table fits a wide screen, and in a wider table,
    where flexing would leave it at that minimum, it is given its minimum as its width instead."""
    keys = _phone_keys(columns)
    wider_than_screens = (
        sum(column.get("width", column.get("minWidth", 100)) for column in columns) > WIDE_SCREEN
    )
    ready = []
    for original in columns:
        column = dict(original)
        if "minWidth" in column and column["minWidth"] > PHONE_MIN_WIDTH:
            flexes = "flex" in column
            if flexes and id(original) not in keys:
                ready.append(column)
                continue
            if not flexes or wider_than_screens:
                column["width"] = column.get("width", column["minWidth"])
                column.pop("flex", None)
            column["minWidth"] = PHONE_MIN_WIDTH
        ready.append(column)
    return ready


def _phone_keys(columns: list[dict]) -> set[int]:
    """ids of the columns a phone keeps, as keyColumnsWhenNarrow chooses them: those marked PHONE, or
    else the first three; none in a table with column groups (it scrolls sideways instead)."""
    if any("children" in column for column in columns):
        return set()
    marked = [column for column in columns if column.get("context", {}).get("phone")]
    plain = [column for column in columns if column.get("colId") != "update"]
    return {id(column) for column in (marked or plain[:3])}


def grid_details(grid_id: str) -> html.Div:
    """Under a table: every column of the row last chosen (clicked, tapped, or Enter), so that nothing a
    phone's narrow table leaves out is out of reach (callbacks.grid_details fills it)."""
    return html.Div(id=f"{grid_id}-details", className="row-details", **{"aria-live": "polite"})


def editable_grid_columns(columns: list[dict], user) -> list[dict]:
    """A table's columns, led by an Update button on each row `user` may edit (rows carry `can_edit`,
    set on the server by the edit policy) for leads and the programme office."""
    return [UPDATE_COLUMN, *columns] if policy.is_editor(user) else columns


NAV_ITEMS = (
    ("Overview", "/"),
    ("Milestones", "/milestones"),
    ("Actions", "/actions"),
    ("Savings", "/savings"),
    ("KPIs", "/kpis"),
    ("Transition", "/transition"),
    ("Benchmarking", "/benchmarking"),
    ("Audit", "/audit"),
    ("Board pack", "/pack"),
)
# The programme office's pages, under the navbar's Admin menu (administrators only).
ADMIN_ITEMS = (
    ("Import spreadsheets", "/import"),
    ("Users", "/users"),
)


def rag_badge(rag: str | None) -> html.Span:
    classes, symbol, label = rag_parts(rag)
    if not symbol:
        return html.Span(label, className=classes)
    return html.Span(
        [html.Span(symbol, **{"aria-hidden": "true"}, className="me-1"), label], className=classes
    )


def scroll_region(content, label: str, **properties) -> html.Div:
    """A wide table that scrolls sideways inside itself on a narrow screen, not the page; focusable and
    named, so a keyboard user can scroll it too."""
    return html.Div(
        content,
        className="table-responsive",
        tabIndex="0",
        role="region",
        **{"aria-label": label},
        **properties,
    )


def page_count(total: int, per_page: int) -> int:
    """Pages a list of `total` rows fills at `per_page` a page (one page when it is empty)."""
    return max(1, -(-total // per_page))


PAGES_NEAR = 5  # with `current`, the pages either side of it offered by number
PAGES_ALL = 25  # a list of up to this many pages offers every one


def page_choices(total: int, per_page: int, noun: str, current: int) -> list[dict[str, str]]:
    """A page selector's choices: "Page 2 of 4: milestones 101–200".

    Every page while there are up to PAGES_ALL; past that, around `current` (the page shown), a number
    of choices that grows with the number of digits, not with the list: the first and last pages, the
    pages near the current one, and the round tens, hundreds, … around it, so any page is a few choices
    away and a list of 100,000 rows does not send and draw a thousand choices.
    """
    pages = page_count(total, per_page)
    if pages <= PAGES_ALL:
        shown = range(1, pages + 1)
    else:
        current = min(max(current, 1), pages)
        wanted = {1, pages, *range(current - PAGES_NEAR, current + PAGES_NEAR + 1)}
        step = 10
        while step < pages:
            block = (current - 1) // (step * 10) * (step * 10)
            wanted.update(range(block + step, block + step * 10 + 1, step))
            step *= 10
        shown = sorted(page for page in wanted if 1 <= page <= pages)
    return [
        {
            "label": f"Page {page} of {pages}: {noun} {(page - 1) * per_page + 1:,}–{min(page * per_page, total):,}"
            if total
            else "Page 1 of 1",
            "value": str(page),
        }
        for page in shown
    ]


def page_select(
    component_id: str, page: int, className: str = "d-flex flex-wrap align-items-center gap-2 mb-2 no-print"
):
    """A labelled "Page" select for a long list; its callback fills in the choices (page_choices)."""
    return html.Div(
        [
            dbc.Label("Page", html_for=component_id, className="mb-0"),
            dbc.Select(
                id=component_id,
                options=[{"label": f"Page {page}", "value": str(page)}],
                value=str(page),
                className="w-auto",
            ),
        ],
        className=className,
    )


def waiting_figure(height: int) -> dict:
    """A chart's figure until its answer arrives: blank at the chart's height, not empty axes."""
    return {
        "data": [],
        "layout": {"height": height, "xaxis": {"visible": False}, "yaxis": {"visible": False}},
    }


def held_height(chart, height: int) -> html.Div:
    """A chart in a box that keeps its height until plotly has drawn it, so what is below it stays where
    it will be (and a section drawn when near the screen, callbacks.sections, is not drawn too soon).
    Once drawn the chart has its own height (assets/app.css lets the box go)."""
    return html.Div(chart, className="held-height", style={"minHeight": f"{height}px"})


def near_store(section_id: str) -> tuple[dcc.Store, dict]:
    """A section drawn when it comes near the screen (callbacks.sections): the store its callbacks take
    as an input, to put in the section, and the props that mark the section as watched."""
    store_id = f"{section_id}-near"
    return dcc.Store(id=store_id, data=False), {"data-near-store": store_id}


def illustrative_marker(note: str | None = None) -> html.Span:
    """The visible marker for figures the source documents do not give."""
    return html.Span(
        "Illustrative data", className="badge illustrative-badge", title=note or ILLUSTRATIVE_NOTE
    )


def filter_select(
    component_id: str, label: str, options: list[dict], value, placeholder: str | None = "All"
) -> dbc.Col:
    """A labelled select for a filter bar; its first choice means "no filter" (none with no placeholder)."""
    choices = [{"label": placeholder, "value": ALL}, *options] if placeholder is not None else options
    return dbc.Col(
        [
            dbc.Label(label, html_for=component_id, className="form-label small fw-semibold mb-1"),
            dbc.Select(id=component_id, options=choices, value=value or ALL),
        ],
        xs=12,
        sm=6,
        lg=3,
        xl=2,
        className="mb-2",
    )


def chosen(value):
    """A filter control's value as a filter: None for the "All" choice or an empty control."""
    return None if value in (None, "", ALL) else value


def notice(lines: list[str]) -> dict:
    """The props of the page's notice (NOTICE_ID) saying `lines`; closed when there are none."""
    return {"children": [html.P(line, className="mb-0") for line in lines], "is_open": bool(lines)}


def page_header(title: str, lead: str | None = None) -> html.Div:
    children = [html.H1(title, className="h2 mb-1")]
    if lead:
        children.append(html.P(lead, className="text-body-secondary mb-3"))
    return html.Div(children, className="page-header mb-3")


def sign_out_form() -> html.Form:
    """Signing out is a POST carrying the CSRF token (a link or an image cannot sign anyone out)."""
    return html.Form(
        [
            dcc.Input(type="hidden", name="csrf_token", value=generate_csrf(), id="sign-out-token"),
            html.Button(
                "Sign out", type="submit", className="btn btn-outline-light btn-sm text-nowrap", id="sign-out"
            ),
        ],
        method="post",
        action="/logout",
        className="m-0",
        id="sign-out-form",
    )


def navbar() -> html.Header:
    user = signed_in_user()
    links = [
        dbc.NavItem(dbc.NavLink(label, href=href, active="exact", className="app-nav-link"))
        for label, href in NAV_ITEMS
    ]
    account = []
    if user is not None:
        if user.is_admin:
            links.append(
                dbc.DropdownMenu(
                    [
                        dbc.DropdownMenuItem(label, href=href, className="app-admin-link")
                        for label, href in ADMIN_ITEMS
                    ],
                    label="Admin",
                    nav=True,
                    in_navbar=True,
                    id="nav-admin",
                    toggleClassName="app-nav-link",
                )
            )
        account = [
            html.A(
                [
                    html.Span(user.display_name, className="fw-semibold", id="signed-in-user"),
                    f" · {user.role_label}",
                ],
                href="/account",
                title="Your account: your role, projects and password",
                className="navbar-text app-account me-3 text-white text-nowrap text-truncate small",
                id="nav-account",
            ),
            sign_out_form(),
        ]
    return html.Header(
        dbc.Navbar(
            dbc.Container(
                [
                    html.A("ASCH programme tracker", href="/", className="navbar-brand app-title"),
                    html.Button(
                        html.Span(className="navbar-toggler-icon"),
                        id="navbar-toggler",
                        className="navbar-toggler",
                        type="button",
                        **{
                            "aria-label": "Menu",
                            "aria-controls": "navbar-collapse",
                            "aria-expanded": "false",
                        },
                    ),
                    dbc.Collapse(
                        [
                            html.Nav(dbc.Nav(links, navbar=True), **{"aria-label": "Main"}),
                            html.Div(account, className="ms-auto d-flex align-items-center"),
                        ],
                        id="navbar-collapse",
                        is_open=False,
                        navbar=True,
                    ),
                ],
                fluid=True,
            ),
            color="dark",
            dark=True,
            expand="xl",
            className="app-navbar",
        )
    )


def shell_layout() -> html.Div:
    """The page frame, built per request so the navbar shows who is signed in."""
    return html.Div(
        [
            html.A("Skip to main content", href="#main", className="skip-link"),
            navbar(),
            html.Main(
                dbc.Container(
                    [
                        # Shown by web.callback_error_handler when a callback fails (e.g. the database is down).
                        dbc.Alert(
                            id="app-alert", is_open=False, color="danger", dismissable=True, className="mt-2"
                        ),
                        # What a link or a request asked that the page did not do (web.py, callbacks).
                        dbc.Alert(
                            id=NOTICE_ID,
                            is_open=False,
                            color="warning",
                            dismissable=True,
                            className="mt-2",
                        ),
                        dash.page_container,
                    ],
                    fluid=True,
                    className="py-3",
                ),
                id="main",
            ),
            html.Footer(
                dbc.Container(
                    html.A("About the data and its sources", href="/about", id="footer-about"),
                    fluid=True,
                    className="py-3 small",
                ),
                className="border-top mt-4",
            ),
            dcc.Location(id="shell-url", refresh=False),
        ]
    )
