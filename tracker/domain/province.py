"""The province's figure for a target, from its communes' current figures.

How communes add up depends on what the target measures:
- ``count`` (services, procedures): the province has the sum of the communes' counts, against the
  sum of their targets;
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

METHODS = {
    "count": "tổng các xã",
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
    return replace(_aggregate(measure, figures), higher_is_better=higher_is_better)


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
        return ProvinceFigure(measure, sum(values) if values else None, sum(targets) if targets else None,
                              None, None, len(values), len(figures))
    return ProvinceFigure(measure, _mean(values), _mean(targets), None, None, len(values), len(figures))


def _unit(figure: ProvinceFigure, unit_label: str | None) -> str | None:
    return "%" if figure.measure in ("ratio", "percent") else unit_label


def figure_text(figure: ProvinceFigure, unit_label: str | None = None) -> str:
    """The province's figure as shown: ``2.150 dịch vụ``, ``63,5% (12.034/18.950)``, ``12/96 xã``."""
    if figure.measure == "milestone":
        return milestone_text(figure.value, figure.communes)
    if figure.measure == "ratio" and figure.value is not None:
        return ratio_text(figure.numerator, figure.denominator)
    return amount_text(figure.value, _unit(figure, unit_label))


def goal_text(figure: ProvinceFigure, unit_label: str | None = None) -> str:
    """What the province's figure is measured against, written as an item's goal (``≥ 60%``)."""
    if figure.measure == "milestone":
        return milestone_text(figure.communes, figure.communes)
    return target_text(figure.target, _unit(figure, unit_label), figure.higher_is_better)
