"""Charts drawn with matplotlib's object API: plain numbers and dates in, SVG or PNG bytes out.

Never pyplot: each call builds its own ``Figure``. matplotlib's shared state (``rcParams``,
font caches, the renderers) is not thread-safe, so drawing and saving happen under one lock.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Mapping, Sequence
from datetime import date, timedelta

import matplotlib
import numpy as np
from matplotlib import dates as mdates
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.path import Path as MarkerPath
from matplotlib.ticker import FuncFormatter, MaxNLocator

from tracker.domain.bounds import usable
from tracker.domain.formatting import format_date, format_number, format_percent
from tracker.domain.status import (
    AMBER,
    COLOUR_ICONS,
    COLOUR_LABELS,
    COLOUR_ORDER,
    GREEN,
    GREY,
    RED,
    expected_value,
)

FORMATS = ("svg", "png")
# Changes whenever the drawings may: bump the first part when this module draws differently.
DRAWING_VERSION = f"1/matplotlib-{matplotlib.__version__}"
# The lights' colours of app.css; the bands use the pale backgrounds of the same colours.
COLOURS = {GREEN: "#17672f", AMBER: "#b7791f", RED: "#a4161a", GREY: "#6b7280"}
BANDS = {GREEN: "#e3f4e8", AMBER: "#fff1cc", RED: "#fde3e3"}
INK, MUTED, LINE, ACCENT = "#1d2330", "#5b6473", "#d7dce3", "#0b5cad"
PNG_DPI = 150

_STYLE = {
    "font.family": "DejaVu Sans",  # ships with matplotlib and has every Vietnamese glyph
    "font.size": 9,
    "axes.edgecolor": MUTED,
    "axes.labelcolor": INK,
    "xtick.color": MUTED,
    "ytick.color": MUTED,
    "xtick.labelcolor": INK,
    "ytick.labelcolor": INK,
    "svg.fonttype": "path",  # the picture looks the same without the font on the reader's machine
    "svg.hashsalt": "tracker",  # stable element ids: equal inputs give equal bytes (ETags, caches)
}
_LOCK = threading.Lock()


def trend_chart(points: Sequence[tuple[date, float]], start: date, deadline: date, baseline: float,
                target: float, as_of: date, *, unit_label: str = "", progress_based: bool = False,
                higher_is_better: bool = True, green_pace: float = 0.9, amber_pace: float = 0.8,
                fmt: str = "svg") -> bytes:
    """Draw a target's or task's values against the line its deadline requires.

    ``points`` are the values to plot, each at the date of its entry (oldest first); the bands shade
    where a value would be green, amber or red by the pace rule, and red below the target after the
    deadline.
    """
    _check_format(fmt)
    if not (usable(baseline) and usable(target)):
        # Only an old database or a hand edit holds such a target; the page says so in words.
        return _message_chart("Không vẽ được: chỉ tiêu hoặc giá trị ban đầu không đọc được.", fmt)
    # A value no light is computed from (see ``usable``) is not drawn either; the history lists it.
    points = [(day, value) for day, value in points if usable(value)]
    with _LOCK, matplotlib.rc_context(_STYLE):
        fig = Figure(figsize=(7.2, 3.9), layout="constrained")
        ax = fig.add_subplot()
        suffix = "%" if unit_label == "%" else ""
        values = [v for _, v in points]
        low, high = _value_range([baseline, target, *values])
        left = min([start, as_of, *(d for d, _ in points)])
        right = max([deadline, as_of, *(d for d, _ in points)])
        pad = timedelta(days=max(2, (right - left).days // 40))
        left, right = left - pad, right + pad
        ax.set_xlim(left, right)
        ax.set_ylim(low, high)

        _draw_bands(ax, left, right, start, deadline, baseline, target, low, high,
                    higher_is_better, green_pace, amber_pace)
        line_days = sorted({left, max(left, min(start, right)), max(left, min(deadline, right)), right})
        ax.plot(line_days, [expected_value(start, deadline, baseline, target, d) for d in line_days],
                color=MUTED, linestyle=(0, (5, 3)), linewidth=1.3, label="Yêu cầu theo tiến độ")
        goal = "Hoàn thành" if progress_based else "Chỉ tiêu"
        ax.axhline(target, color=ACCENT, linewidth=1.3, label=f"{goal} {_number(target, suffix)}")
        ax.axvline(deadline, color=COLOURS[RED], linewidth=1.2, linestyle="-.",
                   label=f"Hạn {format_date(deadline)}")
        ax.axvline(as_of, color=INK, linewidth=1, linestyle=":", label=f"Ngày xem {format_date(as_of)}")
        if points:
            days = [d for d, _ in points]
            # A value holds until the next report, and up to the day looked at.
            shown_to = max(as_of, days[-1])
            ax.step([*days, shown_to], [*values, values[-1]], where="post", color=INK, linewidth=1.8,
                    label="Tiến độ thực tế" if progress_based else "Giá trị thực tế")
            ax.plot(days, values, linestyle="none", marker="o", markersize=4.5, color=INK)
            ax.annotate(_number(values[-1], suffix), (days[-1], values[-1]), xytext=(4, 5),
                        textcoords="offset points", color=INK, fontweight="bold")
        else:
            ax.text(0.5, 0.5, f"Chưa có số liệu đến ngày {format_date(as_of)}", transform=ax.transAxes,
                    ha="center", va="center", color=INK,
                    bbox={"facecolor": "white", "edgecolor": LINE, "boxstyle": "round,pad=0.4"})

        locator = mdates.AutoDateLocator(minticks=3, maxticks=6)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: format_date(mdates.num2date(x).date())))
        ax.yaxis.set_major_locator(MaxNLocator(nbins=6))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda y, _pos: _number(y, suffix)))
        if unit_label and not suffix:
            ax.set_ylabel(unit_label)
        ax.grid(axis="y", color=LINE, linewidth=0.6)  # above the bands, below the lines
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        fig.legend(loc="outside lower center", ncol=4, frameon=False, fontsize=8,
                   handlelength=2.2, columnspacing=1.2)
        return _save(fig, fmt)


def colour_breakdown_chart(counts: Mapping[str, int], fmt: str = "svg") -> bytes:
    """Draw how many items stand at each colour, in dashboard order (what needs attention first)."""
    _check_format(fmt)
    colours = [c for c in COLOUR_ORDER if c in counts]
    with _LOCK, matplotlib.rc_context(_STYLE):
        fig = Figure(figsize=(6.4, 0.5 + 0.42 * len(colours)), layout="constrained")
        ax = fig.add_subplot()
        numbers = [counts[c] for c in colours]
        rows = range(len(colours))
        bars = ax.barh(rows, numbers, height=0.62, color=[COLOURS[c] for c in colours])
        ax.bar_label(bars, labels=[format_number(n) for n in numbers], padding=4, color=INK,
                     fontweight="bold")
        ax.set_yticks(rows, labels=[str(COLOUR_LABELS[c]) for c in colours])
        ax.invert_yaxis()
        ax.set_xlim(0, max([*numbers, 1]) * 1.12)
        ax.xaxis.set_visible(False)
        ax.tick_params(axis="y", length=0)
        for side in ("top", "right", "bottom"):
            ax.spines[side].set_visible(False)
        return _save(fig, fmt)


# The heat-map's cell markers, drawn white on the cell's colour, shaped like the lights' icons.
_CHECK = MarkerPath([(-0.55, 0.05), (-0.15, -0.4), (0.6, 0.5)], [MarkerPath.MOVETO, MarkerPath.LINETO,
                                                                 MarkerPath.LINETO])
_MARKERS = {
    GREEN: {"marker": _CHECK, "facecolors": "none", "edgecolors": "white"},
    AMBER: {"marker": "^", "facecolors": "white", "edgecolors": "white"},
    RED: {"marker": "X", "facecolors": "white", "edgecolors": "white"},
    GREY: {"marker": "o", "facecolors": "none", "edgecolors": "white"},
}


def heatmap_size(rows: int, columns: int) -> tuple[float, float]:
    """The heat-map's (width, height) in inches, so a document can fit it on a page."""
    return 1.8 + 0.42 * max(columns, 1), 1.3 + 0.2 * max(rows, 1)


def heatmap_chart(rows: Sequence[str], columns: Sequence[str], grid: Sequence[Sequence[str | None]],
                  fmt: str = "svg") -> bytes:
    """Draw communes (rows) × targets (columns) as coloured cells, each with its light's icon.

    ``grid[i][j]`` is a colour key (green/amber/red/grey) or None where the commune's plan has no
    such target. The icon in every cell keeps the picture readable in black and white.
    """
    _check_format(fmt)
    keys = (GREEN, AMBER, RED, GREY)
    index = {key: i for i, key in enumerate(keys)}
    with _LOCK, matplotlib.rc_context(_STYLE):
        fig = Figure(figsize=heatmap_size(len(rows), len(columns)), layout="constrained")
        ax = fig.add_subplot()
        cmap = ListedColormap([COLOURS[k] for k in keys]).with_extremes(bad="white")
        values = np.ma.masked_invalid(np.array(
            [[index[c] if c is not None else np.nan for c in row] for row in grid], dtype=float)
            if rows and columns else np.full((1, 1), np.nan))
        # Vector cells (not imshow, whose embedded bitmap the print page's SVG check refuses).
        n_rows, n_columns = values.shape
        ax.pcolormesh(np.arange(n_columns + 1) - 0.5, np.arange(n_rows + 1) - 0.5, values, cmap=cmap,
                      vmin=0, vmax=len(keys) - 1, edgecolors="white", linewidth=0.8)
        ax.set_xlim(-0.5, n_columns - 0.5)
        ax.set_ylim(n_rows - 0.5, -0.5)
        # One marker per light, shaped like its icon (✔ ▲ ✖ ○): one scatter per colour draws a
        # thousand cells in milliseconds, where a text per cell took seconds.
        for key in keys:
            cells = [(j, i) for i, row in enumerate(grid) for j, colour in enumerate(row) if colour == key]
            if cells:
                xs, ys = zip(*cells, strict=True)
                ax.scatter(xs, ys, s=16, linewidths=1.1, **_MARKERS[key])
        ax.set_xticks(range(len(columns)), labels=list(columns), rotation=90)
        ax.set_yticks(range(len(rows)), labels=list(rows), fontsize=7)
        ax.xaxis.tick_top()
        ax.tick_params(length=0)
        for side in ax.spines.values():
            side.set_visible(False)
        handles = [Patch(color=COLOURS[k], label=f"{COLOUR_ICONS[k]} {COLOUR_LABELS[k]}") for k in keys]
        fig.legend(handles=handles, loc="outside lower center", ncol=4 if len(columns) >= 12 else 2,
                   frameon=False, fontsize=8)
        return _save(fig, fmt)


def _message_chart(text: str, fmt: str) -> bytes:
    """A chart-sized picture that only says ``text``."""
    with _LOCK, matplotlib.rc_context(_STYLE):
        fig = Figure(figsize=(7.2, 3.9), layout="constrained")
        ax = fig.add_subplot()
        ax.set_axis_off()
        ax.text(0.5, 0.5, text, transform=ax.transAxes, ha="center", va="center", color=INK,
                bbox={"facecolor": "white", "edgecolor": LINE, "boxstyle": "round,pad=0.4"})
        return _save(fig, fmt)


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise ValueError(f"unknown chart format {fmt!r}; expected one of {FORMATS}")


def _number(value: float, suffix: str) -> str:
    """A value as the pages and documents write it (a percentage as ``format_percent``)."""
    return format_percent(value) if suffix == "%" else f"{format_number(value)}{suffix}"


def _value_range(values: Sequence[float]) -> tuple[float, float]:
    """Return the value axis's limits: from zero (or below), with room above the highest value."""
    low, high = min(0.0, *values), max(values)
    room = (high - low) * 0.1 or 1.0
    return (low - room if low < 0 else low), high + room


def _draw_bands(ax, left: date, right: date, start: date, deadline: date, baseline: float, target: float,
                low: float, high: float, higher_is_better: bool, green_pace: float,
                amber_pace: float) -> None:
    """Shade where a value would be green, amber or red on each day (see docs/status-rules.md)."""
    # Before the deadline the boundaries are straight lines between these days; after it, only
    # meeting the target is green.
    days = sorted({left, max(left, min(start, deadline)), deadline})
    expected = [expected_value(start, deadline, baseline, target, d) for d in days]
    green = [baseline + green_pace * (e - baseline) for e in expected]
    amber = [baseline + amber_pace * (e - baseline) for e in expected]
    toward, away = (high, low) if higher_is_better else (low, high)
    fill = {"linewidth": 0, "zorder": 0}
    ax.fill_between(days, green, toward, color=BANDS[GREEN], label=str(COLOUR_LABELS[GREEN]), **fill)
    ax.fill_between(days, amber, green, color=BANDS[AMBER], label=str(COLOUR_LABELS[AMBER]), **fill)
    ax.fill_between(days, away, amber, color=BANDS[RED], label=str(COLOUR_LABELS[RED]), **fill)
    if right > deadline:
        after = [deadline + timedelta(days=1), right]
        ax.fill_between(after, target, toward, color=BANDS[GREEN], **fill)
        ax.fill_between(after, away, target, color=BANDS[RED], **fill)


def _save(fig: Figure, fmt: str) -> bytes:
    buffer = io.BytesIO()
    if fmt == "svg":
        fig.savefig(buffer, format="svg", metadata={"Date": None})
    else:
        fig.savefig(buffer, format="png", dpi=PNG_DPI, metadata={"Software": None})
    return buffer.getvalue()
