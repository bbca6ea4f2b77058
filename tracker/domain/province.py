"""The province's figure for a target, from its communes' current figures.

How communes add up depends on what the target measures:
- ``count`` (services, procedures, each commune with a target of its own): the province reads how
  many communes met their own target, of the communes whose plan has it ("12/96 xã đạt"): a sum of
  counts against a sum of targets hides a commune far behind under one far ahead. The sum and the
  sum of the targets are kept as a second figure (``total``, ``total_target``: "tổng: 1.599/2.425
  dịch vụ"), shown on demand;
- ``ratio`` (dossiers online ÷ all dossiers, DX spending ÷ budget): numerators and denominators
  are summed, then divided, so a big commune weighs as much as its dossiers;
- ``percent`` (a share the commune states as a percentage): the mean of the communes' percentages;
- ``milestone``: how many communes have finished, against the number of communes.
Communes without a figure are counted in ``communes`` but not in ``reporting``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from tracker.domain.figure_text import amount_text, milestone_text, ratio_text, target_text
from tracker.domain.formatting import format_count

METHODS = {
    "count": "số xã đạt chỉ tiêu của xã",
    "ratio": "tổng tử số ÷ tổng mẫu số",
    "percent": "trung bình các xã",
    "milestone": "số xã đã hoàn thành",
}


@dataclass(frozen=True)
class CommuneFigure:
    """One commune's current figure for a target (all None when it has reported nothing)."""

    value: float | None = None
    numerator: float | None = None
    denominator: float | None = None
    target: float | None = None
    done: bool = False
    met: bool | None = None  # the status rule's verdict; None: the value against the target


@dataclass(frozen=True)
class ProvinceFigure:
    """The province's figure for a target and how it was obtained."""

    measure: str
    value: float | None
    target: float | None
    numerator: float | None
    denominator: float | None
    reporting: int
    communes: int
    higher_is_better: bool = True
    total: float | None = None  # ``count``: the communes' counts summed
    total_target: float | None = None  # ``count``: their targets summed

    @property
    def method(self) -> str:
        """How the communes' figures were combined, in Vietnamese."""
        return METHODS[self.measure]


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def aggregate_target(measure: str, figures: Sequence[CommuneFigure], *,
                     higher_is_better: bool = True) -> ProvinceFigure:
    """Combine the communes' figures for one target as its ``measure`` requires."""
    if measure not in METHODS:
        raise ValueError(f"unknown measure {measure!r}")
    if not higher_is_better:  # the fallback comparison needs the direction
        figures = [replace(f, met=_met(f, higher_is_better=False)) for f in figures]
    return replace(_aggregate(measure, figures), higher_is_better=higher_is_better)


def _met(figure: CommuneFigure, higher_is_better: bool = True) -> bool:
    """Whether a commune met its own target: the status rule's word, else its value against it."""
    if figure.met is not None:
        return figure.met
    if figure.value is None or figure.target is None:
        return False
    return figure.value >= figure.target if higher_is_better else figure.value <= figure.target


def _aggregate(measure: str, figures: Sequence[CommuneFigure]) -> ProvinceFigure:
    targets = [f.target for f in figures if f.target is not None]
    if measure == "milestone":
        reported = [f for f in figures if f.value is not None or f.done]
        return ProvinceFigure(measure, float(sum(1 for f in figures if f.done)), float(len(figures)),
                              None, None, len(reported), len(figures))
    if measure == "ratio":
        pairs = [(f.numerator, f.denominator) for f in figures
                 if f.numerator is not None and f.denominator]
        numerator = sum(n for n, _ in pairs) if pairs else None
        denominator = sum(d for _, d in pairs) if pairs else None
        value = numerator / denominator * 100 if pairs else None
        return ProvinceFigure(measure, value, _mean(targets), numerator, denominator, len(pairs),
                              len(figures))
    values = [f.value for f in figures if f.value is not None]
    if measure == "count":
        met = sum(1 for f in figures if _met(f))
        return ProvinceFigure(measure, float(met), float(len(figures)), None, None, len(values), len(figures),
                              total=sum(values) if values else None,
                              total_target=sum(targets) if targets else None)
    return ProvinceFigure(measure, _mean(values), _mean(targets), None, None, len(values), len(figures))


def _unit(figure: ProvinceFigure, unit_label: str | None) -> str | None:
    return "%" if figure.measure in ("ratio", "percent") else unit_label


def figure_text(figure: ProvinceFigure, unit_label: str | None = None) -> str:
    """The province's figure as shown: ``12/96 xã đạt``, ``63,5% (12.034/18.950)``, ``12/96 xã``."""
    if figure.measure == "milestone":
        return milestone_text(figure.value, figure.communes)
    if figure.measure == "count":
        return f"{milestone_text(figure.value, figure.communes)} đạt"
    if figure.measure == "ratio" and figure.value is not None:
        return ratio_text(figure.numerator, figure.denominator)
    return amount_text(figure.value, _unit(figure, unit_label))


def goal_text(figure: ProvinceFigure, unit_label: str | None = None) -> str:
    """What the province's figure is measured against, written as an item's goal (``≥ 60%``)."""
    if figure.measure in ("milestone", "count"):
        return milestone_text(figure.communes, figure.communes)
    return target_text(figure.target, _unit(figure, unit_label), figure.higher_is_better)


def total_text(figure: ProvinceFigure, unit_label: str | None = None) -> str | None:
    """The second figure of a ``count``: the communes' counts and targets summed (``tổng:
    1.599/2.425 dịch vụ``); None for the other measures, whose one figure says it all."""
    if figure.measure != "count":
        return None
    # Both sides padded as a count before its word is ("04/03 hồ sơ", as the commune writes it).
    padded = figure.total is not None and unit_label
    done = format_count(figure.total) if padded else amount_text(figure.total)
    goal = amount_text(figure.total_target, unit_label)
    return f"tổng: {done}/{goal}"
