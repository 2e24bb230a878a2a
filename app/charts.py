"""Altair chart builders: pure functions of frames (and of the titles the page passes in,
already translated). No data access and no Streamlit calls here."""

from __future__ import annotations

import altair as alt
import polars as pl

BLUE = "#1f6fb4"
ORANGE = "#e07b1a"
GREY = "#a8a8a8"
GREEN = "#2e8b57"
RED = "#c0392b"
ROW_PX = 24  # height per bar of a horizontal bar chart


def _height(rows: int) -> int:
    return max(120, ROW_PX * rows + 40)


def _hollow_if(provisional: str | None, color):
    """Fill like `color`, or white (a hollow point) where the `provisional` field is true."""
    if not provisional:
        return color
    return alt.condition(f"datum.{provisional}", alt.value("white"), color)


def ranked_bars(
    frame: pl.DataFrame,
    *,
    label: str,
    value: str,
    group: str,
    groups: tuple[str, str],
    x_title: str,
    low: str | None = None,
    high: str | None = None,
    percent: bool = False,
    missing_text: str | None = None,
    tooltip: list[alt.Tooltip] | None = None,
) -> alt.LayerChart:
    """Horizontal bars in the frame's row order (best first), with optional interval
    rules from `low` to `high`. `group` holds groups[0] (ranked) or groups[1] (shown but
    not ranked, drawn grey); rows without a value get `missing_text` at the axis."""
    data = frame
    fmt = ".0%" if percent else ".1f"
    y = alt.Y(
        f"{label}:N",
        # an explicit order: a sort by field is dropped when layers filter the data
        sort=data[label].to_list(),
        title=None,
        axis=alt.Axis(labelLimit=360, labelOverlap=False),
    )
    x_scale = alt.Scale(domain=[0, 1]) if percent else alt.Scale(zero=True)
    color = alt.Color(
        f"{group}:N",
        scale=alt.Scale(domain=list(groups), range=[BLUE, GREY]),
        legend=alt.Legend(title=None, orient="bottom", labelLimit=0),
    )
    tips = tooltip or [alt.Tooltip(f"{label}:N"), alt.Tooltip(f"{value}:Q", format=fmt)]
    base = alt.Chart(data).encode(y=y)
    layers = [
        base.mark_bar(height={"band": 0.7}).encode(
            x=alt.X(f"{value}:Q", title=x_title, scale=x_scale, axis=alt.Axis(format=fmt)),
            color=color,
            tooltip=tips,
        )
    ]
    if low and high:
        layers.append(
            base.mark_rule(color="#333333", strokeWidth=1.5).encode(
                x=alt.X(f"{low}:Q"), x2=alt.X2(f"{high}:Q"), tooltip=tips
            )
        )
    if missing_text:
        layers.append(
            base.transform_filter(f"datum.{value} === null")
            .transform_calculate(_zero="0", _text=f"{missing_text!r}")
            .mark_text(align="left", dx=4, color="#666666", fontStyle="italic")
            .encode(x=alt.X("_zero:Q"), text=alt.Text("_text:N"))
        )
    return alt.layer(*layers).properties(height=_height(data.height))


def trend(
    frame: pl.DataFrame,
    *,
    month: str,
    value: str,
    y_title: str,
    series: str | None = None,
    low: str | None = None,
    high: str | None = None,
    provisional: str | None = None,
    percent: bool = False,
    height: int = 260,
) -> alt.LayerChart:
    """A line over months, optionally a band from `low` to `high`, one line per `series`;
    points of provisional months are hollow."""
    fmt = ".0%" if percent else ".1f"
    x = alt.X(f"{month}:O", title=None, axis=alt.Axis(labelAngle=-45))
    y_axis = alt.Axis(format=".0%" if percent else ",.0f")
    y_scale = alt.Scale(zero=False)
    color = (
        alt.Color(f"{series}:N", legend=alt.Legend(title=None, orient="bottom", labelLimit=0))
        if series
        else alt.value(BLUE)
    )
    tips = [alt.Tooltip(f"{month}:O"), alt.Tooltip(f"{value}:Q", format=fmt)]
    if series:
        tips.insert(1, alt.Tooltip(f"{series}:N"))
    if low and high:
        tips += [alt.Tooltip(f"{low}:Q", format=fmt), alt.Tooltip(f"{high}:Q", format=fmt)]
    base = alt.Chart(frame).encode(x=x)
    layers = []
    if low and high:
        layers.append(
            base.mark_area(opacity=0.18, color=BLUE).encode(
                y=alt.Y(f"{low}:Q", scale=y_scale), y2=alt.Y2(f"{high}:Q")
            )
        )
    layers.append(
        base.mark_line().encode(
            y=alt.Y(f"{value}:Q", title=y_title, axis=y_axis, scale=y_scale), color=color
        )
    )
    layers.append(
        base.mark_point(size=45, filled=True, strokeWidth=1.5).encode(
            y=alt.Y(f"{value}:Q"),
            color=color,
            stroke=color,
            fill=_hollow_if(provisional, color),
            tooltip=tips,
        )
    )
    return alt.layer(*layers).properties(height=height)


def count_bars(
    frame: pl.DataFrame, *, category: str, count: str, x_title: str, color: str = BLUE
) -> alt.Chart:
    """Horizontal bars of counts, largest first, with the count written at the bar end."""
    base = alt.Chart(frame).encode(
        y=alt.Y(
            f"{category}:N",
            sort="-x",
            title=None,
            axis=alt.Axis(labelLimit=240, labelOverlap=False),
        ),
        x=alt.X(f"{count}:Q", title=x_title),
    )
    bars = base.mark_bar(color=color).encode(
        tooltip=[alt.Tooltip(f"{category}:N"), alt.Tooltip(f"{count}:Q")]
    )
    text = base.mark_text(align="left", dx=3, color="#333333").encode(text=f"{count}:Q")
    return (bars + text).properties(height=_height(frame.height))


def stacked_bars(
    frame: pl.DataFrame,
    *,
    category: str,
    stack: str,
    count: str,
    stack_order: list[str],
    x_title: str,
    colors: list[str] | None = None,
) -> alt.Chart:
    """Horizontal stacked bars (one bar per category, largest total first)."""
    n = frame[category].n_unique() if frame.height else 0
    palette = colors or [GREEN, ORANGE, GREY]
    return (
        alt.Chart(frame)
        .transform_calculate(_stack_order=f"indexof({stack_order!r}, datum.{stack})")
        .mark_bar()
        .encode(
            y=alt.Y(
                f"{category}:N",
                sort="-x",
                title=None,
                axis=alt.Axis(labelLimit=240, labelOverlap=False),
            ),
            x=alt.X(f"sum({count}):Q", title=x_title),
            color=alt.Color(
                f"{stack}:N",
                scale=alt.Scale(domain=stack_order, range=palette[: len(stack_order)]),
                legend=alt.Legend(title=None, orient="bottom", labelLimit=0),
            ),
            order=alt.Order("_stack_order:Q"),
            tooltip=[
                alt.Tooltip(f"{category}:N"),
                alt.Tooltip(f"{stack}:N"),
                alt.Tooltip(f"{count}:Q"),
            ],
        )
        .properties(height=_height(n))
    )


def rates_with_intervals(
    frame: pl.DataFrame,
    *,
    month: str,
    series: str,
    value: str,
    low: str,
    high: str,
    y_title: str,
    provisional: str | None = None,
    height: int = 280,
) -> alt.LayerChart:
    """Rates per month and series (response / resolution) with their intervals as error
    bars, the series side by side within a month; hollow points for provisional months."""
    x = alt.X(f"{month}:O", title=None, axis=alt.Axis(labelAngle=-45))
    color = alt.Color(
        f"{series}:N",
        scale=alt.Scale(range=[ORANGE, BLUE]),
        legend=alt.Legend(title=None, orient="bottom", labelLimit=0),
    )
    tips = [
        alt.Tooltip(f"{month}:O"),
        alt.Tooltip(f"{series}:N"),
        alt.Tooltip(f"{value}:Q", format=".0%"),
        alt.Tooltip(f"{low}:Q", format=".0%"),
        alt.Tooltip(f"{high}:Q", format=".0%"),
    ]
    base = alt.Chart(frame).encode(x=x, xOffset=alt.XOffset(f"{series}:N"), color=color)
    rules = base.mark_rule(strokeWidth=1.5).encode(
        y=alt.Y(
            f"{low}:Q", title=y_title, scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format=".0%")
        ),
        y2=alt.Y2(f"{high}:Q"),
        tooltip=tips,
    )
    points = base.mark_point(size=55, filled=True, strokeWidth=1.5).encode(
        y=alt.Y(f"{value}:Q"), stroke=color, fill=_hollow_if(provisional, color), tooltip=tips
    )
    return alt.layer(rules, points).properties(height=height)
