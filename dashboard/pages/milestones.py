"""Milestones page (/milestones): not built yet; says so plainly."""

import dash

from dashboard.components import not_built_notice, page_header

dash.register_page(
    __name__, path="/milestones", name="Milestones", title="Milestones – ASCH programme tracker", order=1
)


def layout(**_query):
    return [
        page_header(
            "Milestones",
            "Headline implementation plan milestones: baseline, forecast and actual dates, status and RAG.",
        ),
        not_built_notice(
            [
                "A Gantt chart of every milestone against its baseline, with a line for today",
                "Slippage per milestone in working days and weeks",
                "Filters that live in the address, so a shared link opens the same view",
                "The update form project leads use before each board",
            ]
        ),
    ]
