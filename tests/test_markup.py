"""The markup contract: user text is always text, and only dashboard/ui/markup.py builds HTML."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from dashboard.ui import markup
from tests.helpers.hostile_text import ENTITIES, HOSTILE, LONG_WORD, MARKUP, NOTE, RTL

DASHBOARD = Path(__file__).resolve().parents[1] / "dashboard"
MARKUP_MODULE = DASHBOARD / "ui" / "markup.py"
TAG = re.compile(r"<\s*/?\s*[A-Za-z][A-Za-z0-9]*[\s>/]")


def test_text_escapes_markup_and_shows_line_breaks_as_breaks():
    typed = 'Done.\r\n\r\n[portal](https://example.org) ![x](/logout) <img src=x onerror=alert(1)> & "q"'
    shown = str(markup.text(typed))
    assert "\n" not in shown and "\r" not in shown
    assert shown.startswith("Done.<br/><br/>[portal](https://example.org) ![x](/logout) ")
    assert "&lt;img src=x onerror=alert(1)&gt; &amp; &#34;q&#34;" in shown


def test_text_leaves_numbers_and_built_markup_alone_and_shows_none_as_nothing():
    assert str(markup.text(12)) == "12"
    assert str(markup.text(None)) == ""
    bold = markup.element("b", "<i>")
    assert str(markup.text(bold)) == "<b>&lt;i&gt;</b>"


def test_attributes_are_escaped_and_hold_no_line_break():
    built = str(
        markup.element("button", "View", aria_label='View "x"\n\n<b>', data_action_id=3, class_="btn")
    )
    assert (
        built
        == '<button aria-label="View &#34;x&#34;  &lt;b&gt;" data-action-id="3" class="btn">View</button>'
    )


@pytest.mark.parametrize("tag", ["script src=x", "a href", "", "1h"])
def test_element_refuses_a_tag_name_that_is_not_one(tag):
    with pytest.raises(ValueError):
        markup.element(tag, "x")


def test_element_refuses_an_attribute_name_that_is_not_one():
    with pytest.raises(ValueError):
        markup.element("span", "x", **{"onclick='x'": "y"})


def test_block_draws_only_markup_built_here_and_on_one_line():
    with pytest.raises(TypeError):
        markup.block("<p>typed</p>")
    drawn = markup.block(markup.element("p", "a\n\n# heading\n\n- item"), "x")
    assert drawn.children == "<div><p>a<br/><br/># heading<br/><br/>- item</p></div>"
    assert isinstance(drawn, markup.MarkupBlock) and drawn.className == "x"


def test_table_escapes_every_cell_heading_caption_and_footer():
    built = str(
        markup.table(
            ["<h1>", "n"],
            [["a\n\nb", 3]],
            footer=["Total", 3],
            caption="<q>",
            numeric=[1],
            row_headers=True,
            class_="table",
        )
    )
    assert built == (
        '<table class="table"><caption>&lt;q&gt;</caption><thead><tr><th scope="col">&lt;h1&gt;</th>'
        '<th scope="col" class="text-end">n</th></tr></thead><tbody><tr><th scope="row">a<br/><br/>b</th>'
        '<td class="text-end">3</td></tr></tbody><tfoot class="fw-bold"><tr><th scope="row">Total</th>'
        '<td class="text-end">3</td></tr></tfoot></table>'
    )
    assert "No rows." in str(markup.table(["a", "b"], [], empty="No rows."))


def test_plot_text_escapes_plotly_markup_and_keeps_line_breaks():
    assert (
        markup.plot_text('<a href="https://x">x</a>\n&') == '&lt;a href="https://x"&gt;x&lt;/a&gt;<br>&amp;'
    )
    assert markup.plot_bold("<i>") == "<b>&lt;i&gt;</b>"
    assert markup.plot_text(None) == ""


def _modules():
    for path in sorted(DASHBOARD.rglob("*.py")):
        if "migrations" in path.parts or path == MARKUP_MODULE:
            continue
        yield path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _literal_parts(node) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr):
        return [part.value for part in node.values if isinstance(part, ast.Constant)]
    return []


def _html_building(tree) -> list[tuple[int, str]]:
    """Where a module builds HTML or hands it to Markdown, as (line, what)."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            names += [alias.name for alias in node.names]
            if any(name.split(".")[0] == "markupsafe" for name in names):
                found.append((node.lineno, "imports markupsafe"))
        elif isinstance(node, ast.Attribute) and node.attr in ("Markdown", "Markup", "escape"):
            if node.attr != "escape" or (isinstance(node.value, ast.Name) and node.value.id == "html"):
                found.append((node.lineno, f"uses .{node.attr}"))
        elif isinstance(node, ast.Name) and node.id in ("Markdown", "Markup"):
            found.append((node.lineno, f"uses {node.id}"))
        elif isinstance(node, ast.JoinedStr) and any(TAG.search(part) for part in _literal_parts(node)):
            found.append((node.lineno, "builds a tag in an f-string"))
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Mod):
            if any(TAG.search(part) for side in (node.left, node.right) for part in _literal_parts(side)):
                found.append((node.lineno, "builds a tag by joining strings"))
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("format", "join")
            and any(TAG.search(part) for part in _literal_parts(node.func.value))
        ):
            found.append((node.lineno, f"builds a tag with str.{node.func.attr}"))
    return found


def test_only_the_markup_module_builds_html_or_hands_it_to_markdown():
    offenders = [
        f"{path.relative_to(DASHBOARD.parent)}:{line}: {what}"
        for path, tree in _modules()
        for line, what in _html_building(tree)
    ]
    assert offenders == []


def test_the_contract_check_finds_each_way_of_building_html():
    source = """
from markupsafe import Markup
from dash import dcc
a = f"<td>{x}</td>"
b = "<li>" + x
c = "<b>{}</b>".format(x)
d = dcc.Markdown(x)
e = html.escape(x)
f = "<br>".join(lines)
g = f"%{{y}}<extra></extra>"
"""
    found = {what for _, what in _html_building(ast.parse(source))}
    assert found == {
        "imports markupsafe",
        "builds a tag in an f-string",
        "builds a tag by joining strings",
        "builds a tag with str.format",
        "uses .Markdown",
        "uses .escape",
        "builds a tag with str.join",
    }


@pytest.mark.browser
def test_the_browser_shows_each_block_as_typed_line_breaks_included(dash_duo):
    from dash import Dash, html

    typed = {
        "note": NOTE,
        "markup": MARKUP,
        "entities": ENTITIES,
        "long": LONG_WORD,
        "rtl": RTL,
        "all": HOSTILE,
    }
    app = Dash(__name__)
    app.layout = html.Div(
        [html.Div(markup.block(markup.element("p", text)), id=f"typed-{key}") for key, text in typed.items()]
    )
    dash_duo.start_server(app)
    dash_duo.wait_for_element("#typed-all p")
    shown = dash_duo.driver.execute_script(
        "const out = {}; document.querySelectorAll('[id^=typed-]').forEach(e => { out[e.id.slice(6)] = {"
        "text: e.innerText, tags: Array.from(e.querySelectorAll('*')).map(c => c.tagName.toLowerCase())}; });"
        "return out;"
    )
    assert {key: value["text"] for key, value in shown.items()} == typed
    assert {tag for value in shown.values() for tag in value["tags"]} == {"div", "p", "br"}
