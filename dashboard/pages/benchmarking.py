"""Benchmarking page (/benchmarking): not built yet; says so plainly."""

import dash

from dashboard.components import not_built_notice, page_header

dash.register_page(
    __name__,
    path="/benchmarking",
    name="Benchmarking",
    title="Benchmarking – ASCH programme tracker",
    order=5,
)


def layout(**_query):
    return [
        page_header(
            "Benchmarking",
            "Birmingham against its comparator councils on the Adult Social Care Outcomes Framework.",
        ),
        not_built_notice(
            [
                "Each ASCOF measure ranked with the right polarity, Birmingham highlighted",
                "The published Birmingham ranking beside the rank computed from the values",
                "The change between 2014/15 and 2015/16",
            ]
        ),
    ]
