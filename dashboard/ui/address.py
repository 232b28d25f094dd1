"""The page's address: where a page's view callback writes its filters (`search`), for the address bar
and the browser's history (dashboard/ui/js/address.js).

It stands in for `dcc.Location(refresh=False)` on the pages that write their filters to the URL: on
mount it reports the address the page was opened with (`pathname`, `search`, `hash`), and a new
`search` goes into the browser's history. The page's first write, before the reader has done
anything on the page, replaces the address instead of adding a step (it only settles the address
the page was opened with), so Back leaves the page in one press.
"""

from __future__ import annotations

from dash.development.base_component import Component

PROPS = ["id", "pathname", "search", "hash"]


class Address(Component):
    _children_props: list[str] = []
    _base_nodes: list[str] = []
    _namespace = "tracker_address"
    _type = "Address"

    def __init__(self, id: str, search: str | None = None):
        self._prop_names = list(PROPS)
        self._valid_wildcard_attributes = []
        self.available_properties = list(PROPS)
        self.available_wildcard_properties = []
        super().__init__(id=id, **({"search": search} if search is not None else {}))
