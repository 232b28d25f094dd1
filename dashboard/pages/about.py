"""About the data (/about): where the figures come from, what is illustrative, and what the database holds."""

import dash
from dash import html

from dashboard.domain.sources import DOCUMENTS
from dashboard.ui.components import illustrative_marker, page_header

dash.register_page(
    __name__, path="/about", name="About the data", title="About the data – ASCH programme tracker", order=20
)


def _documents() -> html.Section:
    return html.Section(
        [
            html.H2("Where the figures come from", className="h4", id="about-sources-heading"),
            html.P(
                "Every figure the documents give is cited to its document and section wherever it is shown. "
                "The documents:",
                className="text-body-secondary",
            ),
            html.Ul(
                [
                    html.Li(
                        [
                            html.Strong(document.title),
                            f" ({document.council}). ",
                            document.what,
                        ],
                        className="mb-2",
                    )
                    for document in DOCUMENTS
                ],
                id="about-sources",
            ),
        ],
        className="mb-4",
        **{"aria-labelledby": "about-sources-heading"},
    )


def layout(**_query):
    return [
        page_header(
            "About the data",
            "Where the tracker's figures come from, which are illustrative, and what the database holds.",
        ),
        _documents(),
        html.Section(
            [
                html.H2("Illustrative figures", className="h4", id="about-illustrative-heading"),
                html.P(
                    [
                        "Where the documents give no figure (a milestone's status today, KPI values by "
                        "constituency, the board's meetings), the tracker may carry illustrative figures. "
                        "Each is marked ",
                        illustrative_marker(),
                        " wherever it is shown, and the pack and the downloads say so in an Illustrative "
                        "data column.",
                    ]
                ),
            ],
            className="mb-4",
            **{"aria-labelledby": "about-illustrative-heading"},
        ),
        html.Section(
            [
                html.H2("What the database holds", className="h4", id="data-summary-heading"),
                html.P(
                    "Rows loaded from the source documents, and rows flagged as illustrative where the "
                    "documents give no figure.",
                    className="text-body-secondary",
                ),
                html.Div(id="data-summary", children=html.P("Loading…", className="text-body-secondary")),
            ],
            className="mb-4",
            **{"aria-labelledby": "data-summary-heading"},
        ),
    ]
