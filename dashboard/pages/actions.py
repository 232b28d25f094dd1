"""Actions page (/actions): not built yet; says so plainly."""

import dash

from dashboard.components import not_built_notice, page_header

dash.register_page(
    __name__, path="/actions", name="Actions", title="Actions – ASCH programme tracker", order=2
)


def layout(**_query):
    return [
        page_header(
            "Actions", "The peer challenge action plan: recommendations, actions, progress and evidence."
        ),
        not_built_notice(
            [
                "The six recommendations (with 1a and 1b) and the actions taken on each",
                "Progress notes, evidence and sign-off by the programme sponsor",
                "The plan as it stood on any date, such as the March 2017 review",
            ]
        ),
    ]
