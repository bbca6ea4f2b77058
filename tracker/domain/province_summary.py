"""The province's summary of a period, as pure rules: the communes' TTHC figures summed, and the
narratives gathered per section for the province's secretary to edit.

A sum keeps the meaning of "no figure" of ``tracker.domain.stats``: a field that no commune
reported stays empty (printed "không"), never 0; a field some communes reported is the sum of
theirs. The summed figures then get the same shares and the same rules as one commune's.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from tracker.domain.stats import FIELD_NAMES, Problem, check_stats, shares


def sum_figures(reports: Iterable[Mapping[str, Any]], names: Iterable[str] = FIELD_NAMES
                ) -> dict[str, int | None]:
    """Sum each of ``names`` over ``reports``; a field none of them gives stays None."""
    names = tuple(names)
    total: dict[str, int | None] = dict.fromkeys(names)
    for report in reports:
        for name in names:
            value = report.get(name)
            if value is not None:
                total[name] = (total[name] or 0) + value
    return total


@dataclass(frozen=True)
class SummedStats:
    """The communes' TTHC figures added up, their shares and the rules the sum breaks.

    ``reporting`` says, per field, how many of the reports gave a figure (a sum over fewer communes
    than were counted is a partial sum, and a reader may need to know).
    """

    figures: dict[str, int | None]
    shares: dict[str, str]
    problems: tuple[Problem, ...]
    reporting: dict[str, int]
    reports: int


def sum_stats(reports: Iterable[Mapping[str, Any]], empty: str | None = None) -> SummedStats:
    """Sum the TTHC counts of ``reports`` (dicts as ``services.figures.stats_values`` gives them),
    then compute the shares (``empty`` for a share without its figures) and check the rules."""
    reports = list(reports)
    figures = sum_figures(reports)
    reporting = {name: sum(1 for r in reports if r.get(name) is not None) for name in FIELD_NAMES}
    return SummedStats(figures=figures, shares=shares(figures, empty), problems=tuple(check_stats(figures)),
                       reporting=reporting, reports=len(reports))


def gather_text(texts: Iterable[tuple[str, str | None]]) -> str:
    """One section's narratives from several communes: each paragraph prefixed with the commune's
    name (``Xã Ngọk Bay: …``), communes in the order given; empty texts are left out."""
    lines = []
    for name, text in texts:
        for paragraph in (text or "").splitlines():
            if paragraph.strip():
                lines.append(f"{name}: {paragraph.strip()}")
    return "\n".join(lines)


def chosen_text(saved: str | None, gathered: str) -> str:
    """The text a section prints: the province's saved text once there is one (even an empty one,
    which prints "không"), else the text gathered from the communes."""
    return gathered if saved is None else saved


def same_text(a: str | None, b: str | None) -> bool:
    """True when two texts of a text box are the same once line ends and outer spaces are ignored
    (a browser sends ``\\r\\n``)."""
    def norm(text: str | None) -> str:
        return "\n".join(line.rstrip() for line in (text or "").replace("\r\n", "\n").split("\n")).strip()
    return norm(a) == norm(b)


def natural_end(kind: str, start: date) -> date:
    """The last day of a period of ``kind`` starting on ``start`` when no commune's period says
    otherwise: a week's seventh day, the month's or the quarter's last day (a custom span: a week)."""
    months = {"month": 1, "quarter": 3}.get(kind)
    if months is None:
        return start + timedelta(days=6)
    month = start.month - 1 + months
    return date(start.year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
