"""The one place HTML is built from values: every value escaped, its line breaks shown as line breaks.

Long lists and tables are sent to the browser as one block of HTML, because Dash mounts every
html.* component on its own and a few thousand of them take seconds to appear. Those blocks are the
only HTML the product writes, and this module is the only code that writes it:

- `text` turns any value into HTML text: `<`, `>`, `&` and quotes escaped, line breaks as `<br/>`;
- `element`, `join` and `table` build markup from values and from markup built here;
- `block` is the only component that hands HTML to the browser (`MarkupBlock`, which the browser
  draws with its own HTML parser; dcc.Markdown with raw HTML parsed it in JavaScript, seconds for
  the board pack's tables). Nothing built here contains a line break at all (text's breaks are
  `<br/>`, attributes' are spaces), and `block` refuses anything not built here, so a user's text
  only ever reaches the browser escaped.
- `plot_text` and friends do the same for plotly's labels, which render a subset of HTML tags.

A test (tests/test_markup.py) keeps every other module from importing markupsafe, naming
`dcc.Markdown` or building tags in f-strings.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable, Sequence

from dash.development.base_component import Component
from markupsafe import Markup, escape

__all__ = [
    "PLOT_NO_TRACE_NAME",
    "Html",
    "MarkupBlock",
    "block",
    "element",
    "illustrative_marker",
    "join",
    "plot_bold",
    "plot_lines",
    "plot_text",
    "rag_badge",
    "table",
    "text",
]

_LINE_BREAK = re.compile(r"\r\n|\r|\n|\u2028|\u2029")
_TAG = re.compile(r"^[a-z][a-z0-9]*$")
_ATTRIBUTE = re.compile(r"^[a-z][a-z0-9-]*$")
# Void elements are written self-closing (<br/>), as XHTML and HTML parsers both read them.
VOID_TAGS = frozenset({"br", "hr", "img", "input", "wbr"})
LINE_BREAK = "<br/>"
Html = Markup  # the type of markup built here
EMPTY = Markup("")
# Ends a plotly hovertemplate: leaves out the trace's name, which the template already says.
PLOT_NO_TRACE_NAME = "<extra></extra>"

ILLUSTRATIVE_NOTE = "Illustrative data: not from the source documents"

RAG_STYLES = {
    # Text label and an icon-like symbol as well as colour: RAG is never colour alone.
    "Red": ("danger", "▲", "Red"),
    "Amber": ("warning", "●", "Amber"),
    "Green": ("success", "✔", "Green"),
}


def rag_parts(rag: str | None) -> tuple[str, str, str]:
    """(classes, symbol, label) of a RAG badge; components.rag_badge and rag_badge share them."""
    if not rag:
        return "badge text-bg-light border rag-badge", "", "No RAG"
    colour, symbol, label = RAG_STYLES.get(rag, ("secondary", "", rag))
    return f"badge text-bg-{colour} rag-badge rag-{rag.lower()}", symbol, label


def text(value) -> Markup:
    """A value as HTML text: escaped, line breaks as <br/>, nothing for None; markup built here as it is."""
    if value is None:
        return EMPTY
    kind = type(value)
    if kind is int or kind is float:
        return Markup(value)
    if isinstance(value, Markup):
        return value
    escaped = str(escape(value))
    if "\n" in escaped or "\r" in escaped or "\u2028" in escaped or "\u2029" in escaped:
        escaped = _LINE_BREAK.sub(LINE_BREAK, escaped)
    return Markup(escaped)


def _attribute_value(value) -> str:
    # An attribute holds no tags, so a line break in it becomes a space rather than <br>.
    return _LINE_BREAK.sub(" ", str(escape(value)))


def attributes(values: dict) -> str:
    """` name="value"` pairs: `class_` → class, `aria_label` → aria-label; None and False are left out."""
    parts = []
    for name, value in values.items():
        if value is None or value is False:
            continue
        name = name.rstrip("_").replace("_", "-")
        if not _ATTRIBUTE.match(name):
            raise ValueError(f"not an attribute name: {name!r}")
        parts.append(f" {name}" if value is True else f' {name}="{_attribute_value(value)}"')
    return "".join(parts)


def element(tag: str, *children, **attrs) -> Markup:
    """`<tag attrs>children</tag>`: each child is a value (escaped by `text`) or markup built here."""
    if not _TAG.match(tag):
        raise ValueError(f"not a tag name: {tag!r}")
    opening = f"<{tag}{attributes(attrs)}>" if attrs else f"<{tag}>"
    if tag in VOID_TAGS:
        return Markup(opening[:-1] + "/>")
    return Markup(opening + "".join(text(child) for child in children) + f"</{tag}>")


def join(parts: Iterable, separator: str = "") -> Markup:
    """Values and markup joined into one piece of markup (each value escaped)."""
    return Markup(str(text(separator)).join(text(part) for part in parts))


def _cells(values: Sequence, tag: str, numeric: frozenset[int], header_first: bool) -> str:
    cells = []
    for index, value in enumerate(values):
        cell_tag = "th" if header_first and index == 0 else tag
        scope = (
            ' scope="row"'
            if cell_tag == "th" and tag == "td"
            else (' scope="col"' if cell_tag == "th" else "")
        )
        align = ' class="text-end"' if index in numeric else ""
        cells.append(f"<{cell_tag}{scope}{align}>{text(value)}</{cell_tag}>")
    return "".join(cells)


def table(
    headings: Sequence,
    rows: Iterable[Sequence],
    *,
    footer: Sequence | None = None,
    caption=None,
    numeric: Iterable[int] = (),
    row_headers: bool = False,
    empty=None,
    **attrs,
) -> Markup:
    """A table: a header row, a row per sequence of values, an optional footer row (bold).

    `numeric` names the columns aligned right; with `row_headers` each row's first cell is its
    header (`th scope="row"`); `empty` is the one row's text when there are no rows. Cells are
    values or markup built here.
    """
    right = frozenset(numeric)
    head = "<thead><tr>" + _cells(headings, "th", right, False) + "</tr></thead>"
    body = "".join("<tr>" + _cells(row, "td", right, row_headers) + "</tr>" for row in rows)
    if not body and empty is not None:
        body = f'<tr><td colspan="{len(headings)}">{text(empty)}</td></tr>'
    foot = (
        '<tfoot class="fw-bold"><tr>' + _cells(footer, "td", right, row_headers) + "</tr></tfoot>"
        if footer
        else ""
    )
    title = str(element("caption", caption)) if caption is not None else ""
    return Markup(f"<table{attributes(attrs)}>{title}{head}<tbody>{body}</tbody>{foot}</table>")


class MarkupBlock(Component):
    """Markup built here, drawn by the browser as HTML (dashboard/ui/js/markup_block.js).

    children is the markup as one string; id and className as on any component.
    """

    _children_props: list[str] = []
    _base_nodes = ["children"]
    _namespace = "tracker_markup"
    _type = "MarkupBlock"

    def __init__(self, children: str | None = None, id: str | None = None, className: str | None = None):
        self._prop_names = ["children", "id", "className"]
        self._valid_wildcard_attributes = []
        self.available_properties = ["children", "id", "className"]
        self.available_wildcard_properties = []
        given = {"id": id, "className": className}
        super().__init__(
            children=children, **{name: value for name, value in given.items() if value is not None}
        )


def block(content: Markup, class_name: str | None = None, id: str | None = None) -> MarkupBlock:
    """Markup built here, drawn as one component, in one `<div>` (line breaks as spaces: a value's own
    breaks are `<br/>` already)."""
    if not isinstance(content, Markup):
        raise TypeError("block() draws markup built by dashboard.ui.markup, not a plain string")
    html = "<div>" + _LINE_BREAK.sub(" ", str(content)) + "</div>"
    return MarkupBlock(html, id=id, className=class_name)


def rag_badge(rag: str | None) -> Markup:
    """components.rag_badge as markup: a label and a symbol as well as a colour."""
    classes, symbol, label = rag_parts(rag)
    icon = element("span", symbol, aria_hidden="true", class_="me-1") if symbol else EMPTY
    return element("span", icon, label, class_=classes)


def illustrative_marker(note: str | None = None) -> Markup:
    """components.illustrative_marker as markup."""
    return element(
        "span", "Illustrative data", class_="badge illustrative-badge", title=note or ILLUSTRATIVE_NOTE
    )


# plotly draws a label's <b>, <i>, <br>, <sup>, <sub>, <span> and <a href> as markup, so every value
# in a label, hover text or title goes through plot_text.


def wrapped_title(text: str, width: int = 42) -> str:
    """A chart title (plotly text, already escaped) broken into lines of about `width` characters:
    plotly never wraps a title, and a long one ran off a phone's screen. Breaks fall only at spaces,
    so an escaped entity stays whole."""
    return "<br>".join(textwrap.wrap(text, width=width, break_long_words=False, break_on_hyphens=False))


def plot_text(value) -> str:
    """A value in a plotly label: `<`, `>` and `&` escaped, line breaks as <br>."""
    if value is None:
        return ""
    escaped = str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _LINE_BREAK.sub("<br>", escaped)


def plot_bold(value) -> str:
    return f"<b>{plot_text(value)}</b>"


def plot_lines(*lines: str) -> str:
    """Lines already made safe (plot_text, plot_bold) shown one under another."""
    return "<br>".join(lines)
