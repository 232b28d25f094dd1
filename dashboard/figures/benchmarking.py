"""Pure functions for the benchmarking page: the queries' plain records in, figures (plain dicts) and one-sentence summaries out.

Birmingham is picked out by colour AND a hatched pattern AND its label ("▶ Birmingham · rank 13 of
16"), so the chart reads in greyscale and for people who cannot tell the colours apart. Ranks are
always printed as numbers; colour is only a second cue.
"""

from __future__ import annotations

from dashboard.domain.values import is_missing
from dashboard.figures.common import FONT_FAMILY, TEXT_COLOUR, fast_figure, labels_margin
from dashboard.ui.markup import plot_bold, plot_text, wrapped_title

# Comparators: light blue (3.2:1 on white). Birmingham: dark purple (8:1) with a hatch pattern.
COMPARATOR_COLOUR = "#5694ca"
CITY_COLOUR = "#912b88"
NATIONAL_COLOUR = "#0b0c0c"
ROW_HEIGHT_PX = 30
MEASURE_LABEL_CHARS = 48
COLOUR_BAR_PX = 130  # the heat map's colour bar, its ticks and its two-line title
CITY_NAME = "Birmingham"

UNIT_SUFFIX = {"percent": "%", "rate_per_100k": " per 100,000", "score": "", "number": "", "days": " days"}
UNIT_PHRASE = {
    "percent": "values in per cent",
    "rate_per_100k": "values per 100,000 population",
    "score": "values are index scores",
    "number": "values are counts",
    "days": "values in days",
}
MISSING_TEXT = "Missing ('-' in source)"
# Heat-table colours, 1 (best) → 16 (worst): blue through pale grey to orange; every cell also
# prints its rank, so colour is never the only cue.
RANK_COLOURSCALE = [[0.0, "#1d70b8"], [0.5, "#f3f2f1"], [1.0, "#d4351c"]]


def format_number(value) -> str:
    """A value as the document prints it: up to two decimals, no trailing zeros (781, 16.3, 0.8)."""
    if is_missing(value):
        return ""
    text = f"{float(value):,.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def format_value(value, unit: str) -> str:
    """16.3 per 100,000 · 77.3% · 18.9; a missing value says so."""
    if is_missing(value):
        return MISSING_TEXT
    return f"{format_number(value)}{UNIT_SUFFIX.get(unit, '')}"


def format_change(change, unit: str) -> str:
    if is_missing(change):
        return "not known"
    sign = "+" if float(change) > 0 else ("−" if float(change) < 0 else "±")
    points = " percentage points" if unit == "percent" else UNIT_SUFFIX.get(unit, "")
    return f"{sign}{format_number(abs(float(change)))}{points}"


def ordinal(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def polarity_words(polarity: str) -> str:
    return "lower is better" if polarity == "lower" else "higher is better"


def _int_or_none(value) -> int | None:
    return None if is_missing(value) else int(value)


def _bar_label(row) -> str:
    name = str(row["area"])
    rank = _int_or_none(row["rank"])
    if row["is_city"]:
        if rank is None:
            return plot_bold(f"▶ {name} · missing")
        return plot_bold(f"▶ {name} · rank {rank} of {int(row['ranked_of'])}")
    if rank is None:
        return plot_text(f"{name} · missing")
    return plot_text(f"{rank}. {name}")


def ranked_bar(comparison: list[dict], unit: str, polarity: str, year: str) -> dict:
    """Councils as horizontal bars, best rank at the top; the national average as a labelled line.

    `comparison` is queries.benchmarking.measure_comparison_records: ranked councils first (best
    first), then the national average, then councils with no value (listed, with no bar). A plain
    dict (figures.common.fast_figure); tests/test_benchmarking_queries.py reads it back through go.Figure.
    """
    councils = [dict(row) for row in comparison if row["kind"] != "national"]
    national = [row for row in comparison if row["kind"] == "national"]
    font = {"family": FONT_FAMILY, "color": TEXT_COLOUR}
    if not councils:
        return fast_figure(
            [],
            {
                "annotations": [
                    {"text": "No values for this measure and year", "showarrow": False, "x": 0.5, "y": 0.5}
                ],
                "xaxis": {"visible": False},
                "yaxis": {"visible": False},
                "height": 240,
                "font": font,
            },
        )
    for row in councils:
        row["label"] = _bar_label(row)
    labels = [row["label"] for row in councils]

    def bar_trace(rows: list[dict], name: str, colour: str, pattern: str) -> dict:
        return {
            "type": "bar",
            "name": name,
            "orientation": "h",
            "x": [None if is_missing(row["value"]) else float(row["value"]) for row in rows],
            "y": [row["label"] for row in rows],
            "marker": {
                "color": colour,
                "line": {"color": TEXT_COLOUR if pattern else colour, "width": 1},
                "pattern": {"shape": pattern, "fgcolor": "#ffffff", "size": 6, "solidity": 0.25},
            },
            # The bars carry the number (and % for percentages); the axis title names the unit.
            "text": [
                ""
                if is_missing(row["value"])
                else format_number(row["value"]) + ("%" if unit == "percent" else "")
                for row in rows
            ],
            "textposition": "outside",
            "cliponaxis": False,
            "customdata": [
                [
                    plot_text(row["area"]),
                    "" if _int_or_none(row["rank"]) is None else f"rank {int(row['rank'])}",
                    format_value(row["value"], unit),
                ]
                for row in rows
            ],
            "hovertemplate": "%{customdata[0]}: %{customdata[2]} (%{customdata[1]})<extra></extra>",
        }

    present = [row for row in councils if not row["missing"]]
    data = [
        bar_trace(
            [row for row in present if not row["is_city"]], "Comparator councils", COMPARATOR_COLOUR, ""
        ),
        bar_trace([row for row in present if row["is_city"]], "Birmingham (hatched)", CITY_COLOUR, "/"),
    ]
    missing = [row for row in councils if row["missing"]]
    if missing:
        data.append(
            {
                "type": "scatter",
                "name": "No value: not ranked",
                "x": [0] * len(missing),
                "y": [row["label"] for row in missing],
                "mode": "text",
                "text": [MISSING_TEXT] * len(missing),
                "textposition": "middle right",
                "hoverinfo": "skip",
                "showlegend": False,
            }
        )
    shapes, annotations = [], []
    if national and not is_missing(national[0]["value"]):
        national_value = float(national[0]["value"])
        line = {"color": NATIONAL_COLOUR, "dash": "dash", "width": 2}
        shapes.append(
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": national_value,
                "x1": national_value,
                "y0": 0,
                "y1": 1,
                "line": line,
            }
        )
        annotations.append(
            {
                "text": f"National average {format_value(national_value, unit)} (not ranked)",
                "font": {"size": 12, "color": TEXT_COLOUR},
                "bgcolor": "rgba(255,255,255,0.85)",
                "x": national_value,
                "xref": "x",
                "y": 1,
                "yref": "paper",
                "xanchor": "center",
                "yanchor": "bottom",
                "showarrow": False,
            }
        )
        # A legend entry for the line (shapes have none).
        data.append(
            {
                "type": "scatter",
                "name": "National average (dashed line)",
                "x": [None],
                "y": [None],
                "mode": "lines",
                "line": line,
                "hoverinfo": "skip",
            }
        )
    height = max(360, ROW_HEIGHT_PX * len(councils) + 170)
    # Room for a title of two lines above the average, the council names (sized here, so plotly lays
    # the chart out once) and the legend below the axis.
    margin = {"l": labels_margin(labels, 13, extra_characters=2), "r": 60, "t": 90, "b": 90}
    plot_height = height - margin["t"] - margin["b"]
    return fast_figure(
        data,
        {
            "barmode": "overlay",
            "height": height,
            "margin": margin,
            "font": {**font, "size": 13},
            "plot_bgcolor": "#ffffff",
            "paper_bgcolor": "#ffffff",
            # Below the x-axis tick labels, whatever the number of rows.
            "legend": {"orientation": "h", "x": 0, "y": -40 / plot_height, "yanchor": "top"},
            "title": {
                "text": wrapped_title(
                    f"{plot_text(year)}: best at the top ({polarity_words(polarity)}); "
                    f"{UNIT_PHRASE.get(unit, 'values')}"
                ),
                "x": 0,
                "xanchor": "left",
                "font": {"size": 14},
            },
            "xaxis": {
                "gridcolor": "#dddddd",
                "zeroline": True,
                "zerolinecolor": "#b1b4b6",
                "rangemode": "tozero",
            },
            "yaxis": {
                "categoryorder": "array",
                "categoryarray": list(reversed(labels)),
                "automargin": True,
                "ticksuffix": "  ",
            },
            "shapes": shapes,
            "annotations": annotations,
        },
    )


def ranked_bar_summary(comparison: list[dict], measure_name: str, unit: str, polarity: str, year: str) -> str:
    """One sentence saying where Birmingham stands, against what, and who is best."""
    if not comparison:
        return f"There are no values for {measure_name} in {year}."
    city = next((row for row in comparison if row["is_city"]), None)
    national = next((row for row in comparison if row["kind"] == "national"), None)
    ranked = [row for row in comparison if row["rank"] is not None]
    missing = [row for row in comparison if row["kind"] != "national" and row["missing"]]
    if city is None or city["rank"] is None:
        where = f"In {year} Birmingham has no value for {measure_name}, so it is not ranked"
    else:
        joint = "joint " if sum(1 for row in ranked if row["rank"] == city["rank"]) > 1 else ""
        where = (
            f"In {year} Birmingham ranked {joint}{ordinal(city['rank'])} of {city['ranked_of']} councils "
            f"on {measure_name} with {format_value(city['value'], unit)} ({polarity_words(polarity)})"
        )
    sentence = where
    if national is not None and not is_missing(national["value"]):
        sentence += f", against a national average of {format_value(national['value'], unit)}"
    best_rank = min((row["rank"] for row in ranked), default=None)
    best = [row for row in ranked if row["rank"] == best_rank]
    if best:
        best_value = format_value(best[0]["value"], unit)
        if len(best) == 1:
            sentence += f"; the best was {best[0]['area']} ({best_value})"
        elif len(best) <= 3:
            names = sorted(row["area"] for row in best)
            sentence += f"; the best were {', '.join(names[:-1])} and {names[-1]} ({best_value})"
        else:
            sentence += f"; {len(best)} councils shared the best value ({best_value})"
    if len(missing) == 1:
        sentence += "; 1 council has no value and is not ranked"
    elif len(missing) > 1:
        sentence += f"; {len(missing)} councils have no value and are not ranked"
    return sentence + "."


def _measure_label(code: str, name: str) -> str:
    text = f"{code} {name}"
    if len(text) > MEASURE_LABEL_CHARS:
        text = text[: MEASURE_LABEL_CHARS - 1].rsplit(" ", 1)[0] + "…"
    return text


def rank_heatmap(ranks: list[dict], years: list[str], selected: str | None = None) -> dict:
    """Birmingham's computed rank per measure (rows) and year (columns); each cell prints the rank,
    and the published rank too where the two differ. `selected` measure's row label is marked ▶.
    `ranks` are queries.benchmarking.birmingham_rank_records. A plain dict (figures.common.fast_figure), read
    back through go.Figure in the tests.
    """
    if not ranks:
        return fast_figure([], {"height": 240, "xaxis": {"visible": False}, "yaxis": {"visible": False}})
    measures = list(dict.fromkeys((row["code"], row["name"]) for row in ranks))
    labels = []
    for code, name in measures:
        text = _measure_label(code, name)
        labels.append(plot_bold(f"▶ {text}") if code == selected else plot_text(text))
    by_cell = {(row["code"], row["period_label"]): row for row in ranks}
    z, text, hover = [], [], []
    for code, _name in measures:
        z_row, text_row, hover_row = [], [], []
        for year in years:
            row = by_cell.get((code, year))
            if row is None or is_missing(row["rank"]):
                z_row.append(None)
                text_row.append("missing")
                hover_row.append(f"{plot_text(code)} {plot_text(year)}: not ranked (value missing)")
                continue
            rank = int(row["rank"])
            published = _int_or_none(row["published_rank"])
            z_row.append(rank)
            cell = str(rank)
            if published is not None and published != rank:
                cell += f" (published {published})"
            text_row.append(cell)
            hover_row.append(
                f"{plot_text(code)} {plot_text(year)}: rank {rank} of {int(row['ranked_of'])}"
                + (f"; published {published}" if published is not None else "; no published rank")
            )
        z.append(z_row)
        text.append(text_row)
        hover.append(hover_row)
    heatmap = {
        "type": "heatmap",
        "z": z,
        "x": list(years),
        "y": labels,
        "text": text,
        "texttemplate": "%{text}",
        "textfont": {"size": 13},
        "customdata": hover,
        "hovertemplate": "%{customdata}<extra></extra>",
        "colorscale": RANK_COLOURSCALE,
        "zmin": 1,
        "zmax": 16,
        "xgap": 2,
        "ygap": 2,
        "colorbar": {
            "title": {"text": "Rank<br>(1 = best)"},
            "tickvals": [1, 4, 8, 12, 16],
            "len": 0.5,
            "y": 1,
            "yanchor": "top",
        },
    }
    return fast_figure(
        [heatmap],
        {
            "height": ROW_HEIGHT_PX * len(labels) + 110,
            # The measures' names sized here, and the colour bar's width with its title (plotly lays the
            # chart out once).
            "margin": {"l": labels_margin(labels, 13), "r": COLOUR_BAR_PX, "t": 60, "b": 10},
            "font": {"family": FONT_FAMILY, "color": TEXT_COLOUR, "size": 13},
            "plot_bgcolor": "#ffffff",
            "paper_bgcolor": "#ffffff",
            "xaxis": {"side": "top", "type": "category"},
            "yaxis": {"autorange": "reversed", "automargin": True, "type": "category"},
        },
    )


def rank_heatmap_summary(ranks: list[dict], years: list[str]) -> str:
    """One sentence: how often Birmingham is near the top or bottom, and how often the ranks disagree."""
    if not ranks:
        return "There are no ASCOF ranks to show."
    latest = years[-1]
    in_latest = [row for row in ranks if row["period_label"] == latest and row["rank"] is not None]
    bottom = sum(1 for row in in_latest if row["ranked_of"] - row["rank"] < 4)
    top = sum(1 for row in in_latest if row["rank"] <= 4)
    measures = len({row["code"] for row in ranks})
    compared = [row for row in ranks if row["rank"] is not None and row["published_rank"] is not None]
    differs = sum(1 for row in ranks if row["differs"])
    return (
        f"In {latest} Birmingham's computed rank was in the bottom four of the councils for {bottom} of "
        f"{measures} measures and in the top four for {top}; the computed rank differs from the "
        f"document's published rank for {differs} of {len(compared)} measure-years."
    )
