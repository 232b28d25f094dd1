"""Savings page (/savings): not built yet; says so plainly."""

import dash

from dashboard.components import not_built_notice, page_header

dash.register_page(
    __name__, path="/savings", name="Savings", title="Savings – ASCH programme tracker", order=3
)


def layout(**_query):
    return [
        page_header("Savings", "Savings realised against targets, by financial year and project."),
        not_built_notice(
            [
                "Target, forecast and realised savings by financial year (April to March)",
                "Confidence per line and a confidence-weighted forecast",
                "Savings at risk when the milestone they depend on slips",
            ]
        ),
    ]
