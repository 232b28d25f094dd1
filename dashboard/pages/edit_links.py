"""Stable links to an item's update form (`/milestones?edit=12`, `/actions?edit=3`, `/savings?edit=40`,
as reminder emails give them): the page keeps the id the link asked for in a store, and
callbacks/edit_links.py opens the form once the page's picker has its choices."""

from __future__ import annotations

from dash import dcc

from dashboard import policy
from dashboard.queries.params import QueryParams, ignore

STORES = {"milestone": "ms-edit-link", "action": "act-edit-link", "saving": "sv-edit-link"}
PLURALS = {"milestone": "milestones", "action": "actions", "saving": "saving lines"}


def edit_link_store(kind: str, query, user) -> dcc.Store:
    """The store of the id `?edit=` names (None when there is none, or it cannot be used: the page's
    notice then says why, as for any value of a link it ignores)."""
    wanted = QueryParams(query).identifier("edit", f"not the number of one of the {PLURALS[kind]}")
    if wanted is not None and not policy.is_editor(user):
        ignore("edit", wanted, f"you may not update {PLURALS[kind]}: nothing was opened")
        wanted = None
    return dcc.Store(id=STORES[kind], data=wanted)
