"""A plan target fed by period figures, over the plan year to date: which periods count, and the sums.

A yearly target such as MT10 (≥ 60% of new dossiers fully online) is not one period's share: it is
the share over every dossier of the year so far. The commune's periods overlap (a month and the
weeks inside it, a quarter and its months), so the figures cannot simply be added. The rule:

1. Only periods that lie wholly inside the year (from ``year_start`` to ``year_end``) and have both
   figures (a denominator above zero) are candidates.
2. Longer periods are taken first (by their number of days; equal lengths by the earlier start):
   a quarter before its months, a month before its weeks.
3. A period is used when it shares no day with a period already used; otherwise it is left out,
   and the page says which used period it overlaps. So a week that straddles the end of a month
   already reported (27/10–02/11 beside October) is left out rather than counted twice.
4. The value is the sum of the used numerators over the sum of the used denominators.

No day is counted twice, and a month's report replaces its weeks as soon as it is entered.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class PeriodFigures:
    """One period's two figures for a derived target (e.g. dossiers fully online, new dossiers)."""

    key: Hashable  # the period's id: which period it is, never shown
    kind: str  # week, month, quarter, custom
    start: date
    end: date
    numerator: float
    denominator: float

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def overlaps(self, other: PeriodFigures) -> bool:
        return self.start <= other.end and other.start <= self.end


@dataclass(frozen=True)
class YearCover:
    """The periods that add up to the year's value, those left out (with the used one each overlaps)."""

    used: tuple[PeriodFigures, ...]  # by start date
    left_out: tuple[tuple[PeriodFigures, PeriodFigures], ...]  # (left out, the used period it overlaps)

    @property
    def numerator(self) -> float:
        return sum(p.numerator for p in self.used)

    @property
    def denominator(self) -> float:
        return sum(p.denominator for p in self.used)

    @property
    def end(self) -> date | None:
        """The last day the cover reaches (the date of the year's value)."""
        return max((p.end for p in self.used), default=None)

    def uses(self, key: Hashable) -> bool:
        return any(p.key == key for p in self.used)


def year_cover(periods: Iterable[PeriodFigures], year_start: date, year_end: date) -> YearCover:
    """Choose the periods without overlap whose figures add up to the year's value (module rule)."""
    candidates = [p for p in periods
                  if year_start <= p.start and p.end <= year_end and p.start <= p.end
                  and p.denominator and p.denominator > 0 and p.numerator is not None]
    candidates.sort(key=lambda p: (-p.days, p.start, str(p.key)))
    used: list[PeriodFigures] = []
    left_out: list[tuple[PeriodFigures, PeriodFigures]] = []
    for period in candidates:
        clash = next((u for u in used if u.overlaps(period)), None)
        if clash is None:
            used.append(period)
        else:
            left_out.append((period, clash))
    return YearCover(tuple(sorted(used, key=lambda p: p.start)),
                     tuple(sorted(left_out, key=lambda pair: pair[0].start)))
