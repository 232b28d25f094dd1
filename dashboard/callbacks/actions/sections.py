"""Actions page: the plan grouped by recommendation and the letter's points, each as one block of
markup (dashboard.ui.markup), and the progress table beside the chart."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
from dash import html

from dashboard.domain.formatting import format_date, format_datetime
from dashboard.queries import actions as action_queries
from dashboard.reports.download_tables import progress_table
from dashboard.ui import markup


def progress_markup(progress: pd.DataFrame):
    """The progress table beside the chart: the progress download's columns, as one block of markup."""
    table = progress_table(progress)
    # Rows read column by column (a frame's rows are slow to iterate).
    rows = zip(*(table[column].tolist() for column in table.columns), strict=True)
    return markup.block(markup.table(list(table.columns), rows, class_="table table-sm"))


OVERDUE_BADGE = markup.element("span", "Overdue", class_="badge text-bg-danger")
INTERNAL_BADGE = markup.element("span", "Internal", class_="badge text-bg-secondary")


def _status_cell(row) -> markup.Html:
    status = markup.element("span", row.display_status)
    return markup.join([status, " ", OVERDUE_BADGE]) if row.overdue else status


def _note_cell(row) -> markup.Html | str:
    if not row.latest_note:
        return "—"
    parts = [markup.element("strong", format_date(row.latest_note_date)), ": ", row.latest_note]
    if row.latest_note_internal:
        parts += [" ", INTERNAL_BADGE]
    return markup.join(parts)


def _evidence_cell(row) -> markup.Html | str:
    parts = []
    if row.evidence:
        parts.append(markup.element("span", row.evidence))
    if row.evidence_items:
        items = f"{row.evidence_items} item{'s' if row.evidence_items != 1 else ''} attached"
        parts.append(markup.element("div", items, class_="small"))
    return markup.join(parts) if parts else "—"


ACTION_HEADINGS = (
    "Action",
    "Owner",
    "Due",
    "Status",
    "RAG",
    "Latest progress note",
    "Evidence",
    "Last updated",
    "",
)


def _action_row(row) -> list:
    title = [row.title]
    if row.project:
        title.append(markup.element("div", f"Delivered by {row.project}", class_="small text-body-secondary"))
    # A plain button: assets/actionsView.js opens the action in the detail panel below.
    view = markup.element(
        "button",
        "View",
        type="button",
        class_="btn btn-sm btn-outline-primary no-print act-view",
        data_action_id=int(row.id),
        aria_label=f"View {row.title}",
    )
    return [
        markup.join(title),
        row.owner,
        format_date(row.due_date),
        _status_cell(row),
        markup.rag_badge(row.rag) if row.rag else "—",
        _note_cell(row),
        _evidence_cell(row),
        f"{format_datetime(row.updated_at)} by {row.updated_by}",
        view,
    ]


def action_sections(frame: pd.DataFrame, progress: pd.DataFrame) -> list:
    """The page's actions grouped by recommendation, as one block of markup.

    `progress` counts every matching action, so a recommendation split across pages still shows
    its whole count.
    """
    if frame.empty:
        return [html.P("No actions match these filters.", className="fw-semibold")]
    counts = {row["recommendation"]: row for row in progress.to_dict("records")}
    # Grouped in plain Python, in the page's order (pandas' groupby made a frame per recommendation).
    groups: dict[str, list] = {}
    for row in frame.itertuples(index=False):
        groups.setdefault(row.recommendation, []).append(row)
    parts = []
    for number, rows in groups.items():
        count = counts[number]
        caption = [f"Actions on recommendation {number}"]
        illustrative = next((row for row in rows if row.illustrative), None)
        if illustrative is not None:
            caption += [" ", markup.illustrative_marker(illustrative.illustrative_note)]
        heading_id = f"act-rec-{number}"
        parts.append(
            markup.element(
                "section",
                markup.element("h3", f"Recommendation {number}", class_="h5 mb-1", id=heading_id),
                markup.element(
                    "p", markup.element("q", rows[0].recommendation_text or ""), class_="act-rec-text mb-1"
                ),
                markup.element(
                    "p",
                    f"{count['accepted']} of {count['total']} closed · {count['awaiting']} awaiting sign-off · "
                    f"{count['overdue']} overdue",
                    class_="small fw-semibold mb-1",
                ),
                markup.element(
                    "div",
                    markup.table(
                        ACTION_HEADINGS,
                        (_action_row(row) for row in rows),
                        caption=markup.join(caption),
                        class_="table table-sm align-top act-table caption-top",
                    ),
                    class_="table-responsive",
                ),
                class_="act-rec-section mb-3",
                aria_labelledby=heading_id,
            )
        )
    return [markup.block(markup.join(parts), "act-sections-list")]


RECOMMENDATIONS_NAMED = 5  # per point of the letter; the rest are counted ("and 3 more")


def _listed(items: list[str], total: int | None = None, shown: int = RECOMMENDATIONS_NAMED) -> str:
    """1, 3 and 5; past `shown` of `total` items (all of `items` by default), 1, 2, 3, 4, 5 and 3 more."""
    total = len(items) if total is None else total
    if total > shown:
        return ", ".join(items[:shown]) + f" and {total - shown:,} more"
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _answered(row) -> str:
    """Answered by 14 actions under recommendations 1a, 3 and 5 (the downloads name every action)."""
    actions = f"{row.action_count:,} action{'s' if row.action_count != 1 else ''}"
    numbers, total = row.recommendations, row.recommendation_count
    under = f"recommendation{'s' if total != 1 else ''} {_listed(numbers, total)}" if numbers else ""
    return f"Answered by {actions}" + (f" under {under}" if under else "")


def theme_item_id(position: int) -> str:
    return f"act-theme-{position}"


def theme_title(count: action_queries.ThemeCount) -> str:
    title = f"{count.theme} – {count.points} point{'s' if count.points != 1 else ''}"
    return title + (f", {count.uncovered} with no action" if count.uncovered else "")


def theme_items(counts: list[action_queries.ThemeCount]) -> list:
    """One collapsed accordion item per theme, titled with its counts; the points load when it opens."""
    return [
        dbc.AccordionItem(
            html.Div(id={"type": "act-area-points", "item": theme_item_id(position), "theme": count.theme}),
            title=theme_title(count),
            item_id=theme_item_id(position),
        )
        for position, count in enumerate(counts)
    ]


NO_ACTION_YET = markup.element("span", "No action yet", class_="act-uncovered")


def area_points(areas: pd.DataFrame) -> list:
    """One theme's points, as one block of markup (styled in actions.css, .act-areas-list)."""
    items = []
    for row in areas.itertuples(index=False):
        kind = action_queries.KIND_LABELS.get(row.kind, row.kind)
        parts = [markup.element("b", f"{kind}:"), " ", row.text]
        if row.needs_action and row.uncovered:
            parts += [" ", NO_ACTION_YET]
        elif row.needs_action:
            # In words on the page, not in a hover-only tooltip: the downloads name every action.
            parts += [" ", markup.element("span", _answered(row), class_="act-answered")]
        items.append(markup.element("li", *parts))
    if not items:
        return [html.P("This theme has no points now.")]
    return [markup.block(markup.element("ul", *items, class_="mb-0"), "act-areas-list")]
