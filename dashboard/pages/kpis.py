"""KPIs page (/kpis): not built yet; says so plainly."""

import dash

from dashboard.components import not_built_notice, page_header

dash.register_page(__name__, path="/kpis", name="KPIs", title="KPIs – ASCH programme tracker", order=4)


def layout(**_query):
    return [
        page_header("KPIs", "Outcomes by constituency and the transition outcomes."),
        not_built_notice(
            [
                "The KPI catalogue with targets, tolerances and polarity",
                "The ten constituencies compared against target, with trends",
                "The customer-journey funnel against target",
            ]
        ),
    ]
