"""Audit page (/audit): not built yet; says so plainly."""

import dash

from dashboard.components import not_built_notice, page_header

dash.register_page(__name__, path="/audit", name="Audit", title="Audit – ASCH programme tracker", order=6)


def layout(**_query):
    return [
        page_header("Audit", "Every change: who, what, when, old and new values."),
        not_built_notice(
            [
                "The full change log with filters by person, entity, project and date",
                "A download of the filtered log",
            ]
        ),
    ]
