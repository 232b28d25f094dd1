"""What each page says when the database holds nothing of what it shows, and how to add it.

A production database starts with the reference data only (areas and the KPI catalogue): no
programme, milestones, actions, savings, KPI values or board meetings until the programme office
loads the council's documents (`python -m dashboard seed documents`) and imports its trackers. Each
page then shows one notice (id "empty-state") naming what is missing and where it is added, and its
charts are not drawn (app.css hides them on a page whose notice says so), so there is never a blank
chart or an empty pair of axes.
"""

from __future__ import annotations

from dash import html

from dashboard.queries.summary import Holdings

SEED_DOCUMENTS = "python -m dashboard seed documents"


def notice(title: str, *paragraphs, hides_charts: bool = True) -> html.Section:
    return html.Section(
        [html.H2(title, className="h5 mb-2"), *[html.P(text, className="mb-1") for text in paragraphs]],
        className="empty-state alert alert-info" + (" empty-state-hides-charts" if hides_charts else ""),
        id="empty-state",
        role="status",
    )


def _load_programme(what: str) -> list:
    return [
        f"{what} There is no programme yet: an administrator loads the council's programme as its source "
        "documents give it (organisation, programmes, projects, the plan's milestones, the peer challenge "
        "letter) by running ",
        html.Code(SEED_DOCUMENTS),
        " on the server.",
    ]


def _import(kind: str, columns: str) -> list:
    return [
        "The programme office imports its tracker on the ",
        html.A("Import page", href="/import"),
        f" ({kind}; {columns}), from a template there.",
    ]


def overview(holdings: Holdings) -> html.Section | None:
    if not holdings.projects:
        return notice(
            "Nothing recorded yet",
            "This database holds the reference data only: the areas (Birmingham's ten constituencies, its "
            "comparator councils) and the KPI catalogue.",
            _load_programme("Milestones, actions and savings belong to the programme's projects."),
            [
                "Then the programme office imports its trackers on the ",
                html.A("Import page", href="/import"),
                " (milestones, actions, savings, KPI values) and records the board's meeting dates below.",
            ],
        )
    if not holdings.programme:
        return notice(
            "No milestones, actions or savings yet",
            [
                "The programme's projects are loaded, but nothing is recorded against them yet. The programme "
                "office imports its trackers on the ",
                html.A("Import page", href="/import"),
                " (milestones, actions, savings, KPI values), or adds milestones on the ",
                html.A("Milestones page", href="/milestones"),
                ".",
            ],
        )
    return None


def milestones(holdings: Holdings) -> html.Section | None:
    if holdings.milestones:
        return None
    if not holdings.projects:
        return notice("No milestones yet", _load_programme("A milestone belongs to a project."))
    return notice(
        "No milestones yet",
        "Administrators add a milestone under Programme office tools below (Add a milestone).",
        _import("Milestones", "project, milestone, baseline end date and any status"),
    )


def actions(holdings: Holdings) -> html.Section | None:
    if holdings.actions:
        return None
    if not holdings.recommendations:
        return notice(
            "No actions yet",
            _load_programme("The action plan answers the peer challenge letter's recommendations."),
        )
    return notice(
        "No actions yet",
        "The peer challenge letter's recommendations are loaded; no action answers them yet.",
        _import("Actions", "recommendation number, action, owner and due date"),
    )


def published_plan(holdings: Holdings) -> html.Section | None:
    if holdings.actions:
        return None
    return notice(
        "No actions to publish yet",
        "The published plan lists the actions taken on each recommendation of the peer challenge; none is "
        "recorded yet.",
        _import("Actions", "recommendation number, action, owner and due date"),
    )


def savings(holdings: Holdings) -> html.Section | None:
    if holdings.saving_lines:
        return None
    if not holdings.projects:
        return notice("No savings yet", _load_programme("A saving line belongs to a project."))
    return notice(
        "No savings yet",
        _import("Savings", "project, financial year, description and target"),
        "Leads then record forecast and realised savings on this page.",
    )


def kpis(holdings: Holdings) -> html.Section | None:
    if holdings.kpi_values:
        return None
    return notice(
        "No KPI values yet",
        "The KPI catalogue below lists the measures and their codes; no value is recorded for any of them.",
        [
            "Leads and administrators enter values under ",
            html.A("Enter values", href="#kpi-entry-heading"),
            " on this page; the programme office imports many at once on the ",
            html.A("Import page", href="/import"),
            " (KPI values; KPI code, area, period and value). Values for the constituencies fill the "
            "constituency comparison and trends.",
        ],
    )


def benchmarking(holdings: Holdings) -> html.Section | None:
    if holdings.ascof_values:
        return None
    return notice(
        "No ASCOF benchmarking figures yet",
        [
            "The self-assessment's ASCOF tables (Birmingham, its 15 comparator councils and the national "
            "average, 2014/15 and 2015/16) are loaded with the council's documents by running ",
            html.Code(SEED_DOCUMENTS),
            " on the server; later years are imported on the ",
            html.A("Import page", href="/import"),
            " (KPI values for Birmingham and each comparator council).",
        ],
    )


def audit(holdings: Holdings) -> html.Section | None:
    if holdings.audit_events:
        return None
    return notice(
        "No changes recorded yet",
        "Every change made on these pages, by an import or from the command line is listed here, with who "
        "made it, when, and the old and new values.",
    )


def pack(holdings: Holdings) -> html.Section | None:
    if holdings.board_meetings:
        if holdings.programme:
            return None
        return notice(
            "Nothing to report yet",
            "The pack reports the programme's milestones, actions, savings and KPIs, and none is recorded "
            "yet: each section says so.",
            _load_programme("They belong to the programme's projects.")
            if not holdings.projects
            else [
                "The programme office imports its trackers on the ",
                html.A("Import page", href="/import"),
                " (milestones, actions, savings, KPI values).",
            ],
            hides_charts=False,
        )
    return notice(
        "No board meetings yet",
        [
            "A pack is for a programme board meeting, and none is recorded. Administrators record the "
            "board's meeting dates on the ",
            html.A("overview", href="/"),
            " (Record a board meeting); each meeting's pack and its Excel download are then here.",
        ],
    )


def imports(holdings: Holdings) -> html.Section | None:
    if holdings.projects and holdings.recommendations:
        return None
    missing = []
    if not holdings.projects:
        missing.append("milestones and savings name a project, and there are no projects yet")
    if not holdings.recommendations:
        missing.append("actions name a recommendation of the peer challenge letter, which is not loaded")
    return notice(
        "Load the programme first",
        [
            f"Imports add to the programme: {'; '.join(missing)}. An administrator loads them from the "
            "council's source documents by running ",
            html.Code(SEED_DOCUMENTS),
            " on the server. KPI values can be imported now.",
        ],
        hides_charts=False,
    )


def with_notice(children: list, shown: html.Section | None) -> list:
    """The page's children with the notice (if any) just below its header."""
    return children if shown is None else [children[0], shown, *children[1:]]
