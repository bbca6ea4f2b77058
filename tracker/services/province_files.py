"""The province's heat-map and summary PDF, drawn ahead by the nightly job and kept as files.

Drawing the heat-map of 96 communes takes about a second, the summary PDF two to four; both are
read by every province official each morning. The nightly job (``province_files``) draws them for
today, and a request that finds no current copy draws it once and keeps it for the next.

**What "current" means.** A kept copy is named by ``province.rollup_fingerprint``: a fingerprint
of everything the roll-up is computed from as of its date (the communes, their plans' rule
settings, their targets, the id of each target's current entry as of that date), and for the PDF
also the date it is issued on (printed in its header). A request computes that fingerprint (four
queries, no status computed, nothing drawn) and serves the file of that name if there is one. So a
copy is current while no commune's figure has changed since it was drawn: a new entry or a
correction (entries are never edited, each is a new id), a changed target, a renamed commune or a
new plan each give another fingerprint, and the copy is drawn again on the next request; another
``as_of`` is another file. Drawing is deterministic (equal inputs, equal pictures), so a current
copy is exactly what would be drawn now, and no clock is needed: a copy drawn at night is never
served after a day's entries have changed the figures.

**Why files under the instance folder, not a table.** A GET saves nothing to the database
(``tracker.read_only`` rolls back whatever it wrote), and a page that draws on demand is a GET:
a file written atomically (``os.replace``) is kept whatever the request's transaction does, and two
workers drawing the same copy at once just write the same bytes. The copies are derived data (lost,
they are drawn again), so they stay out of the database and its backups; the web workers and the
scheduler share the folder as they share ``UPLOAD_DIR`` for evidence. The nightly job removes
copies older than ``KEEP_DAYS`` that are not today's.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from tracker.models import Province
from tracker.render import render
from tracker.render.charts import DRAWING_VERSION
from tracker.services.charts import Chart, province_heatmap
from tracker.services.outline import build_province_summary
from tracker.services.province import ProvinceRollup, build_rollup, rollup_fingerprint

KEEP_DAYS = 7
# Part of every copy's name: bump VERSION when the document's layout changes; matplotlib's version
# (in DRAWING_VERSION) changes it too, so a copy drawn by other code is never served.
VERSION = "1-" + hashlib.sha256(DRAWING_VERSION.encode()).hexdigest()[:8]
FORMATS = ("svg", "png")


@dataclass(frozen=True)
class KeptFile:
    """A kept copy: its bytes, whether it was drawn for this call, and the name to send it by."""

    data: bytes
    drawn: bool
    filename: str


def _folder(root: str | Path, province: Province) -> Path:
    return Path(root) / f"province-{province.id}"


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def _write(path: Path, data: bytes) -> None:
    """Write ``data`` at ``path`` whole or not at all (a reader never sees half a file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".drawing-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def heatmap_path(root: str | Path, province: Province, fingerprint: str, fmt: str) -> Path:
    """Where the heat-map of the roll-up of ``fingerprint`` is kept in ``fmt``."""
    return _folder(root, province) / f"heatmap-v{VERSION}-{fingerprint}.{fmt}"


def summary_path(root: str | Path, province: Province, fingerprint: str, as_of: date, today: date) -> Path:
    """Where the province summary PDF of the roll-up of ``fingerprint``, issued ``today``, is kept."""
    return (_folder(root, province)
            / f"summary-v{VERSION}-{as_of.isoformat()}-{today.isoformat()}-{fingerprint}.pdf")


def _kept_drawing(root: str | Path, province: Province, fingerprint: str,
                  draw: Callable[[str], bytes]) -> Callable[[str], bytes]:
    """``draw(fmt)`` through the kept copy of the heat-map of ``fingerprint``."""
    def kept(fmt: str) -> bytes:
        path = heatmap_path(root, province, fingerprint, fmt)
        data = _read(path)
        if data is None:
            data = draw(fmt)
            _write(path, data)
        return data
    return kept


def kept_heatmap(session: Session, root: str | Path, province: Province, as_of: date) -> Chart:
    """The heat-map of ``province`` as of ``as_of``, its picture read from the kept copy when there
    is a current one (four queries), else drawn from the roll-up and kept.

    Its fingerprint (the ETag) is the roll-up's; its text is empty (for sending, not for a page).
    """
    fingerprint = rollup_fingerprint(session, province, as_of)

    def draw(fmt: str) -> bytes:
        return province_heatmap(build_rollup(session, province, as_of)).draw(fmt=fmt)

    return Chart(fingerprint, "", _kept_drawing(root, province, fingerprint, draw))


def kept_summary_pdf(session: Session, root: str | Path, province: Province, as_of: date, *,
                     today: date) -> KeptFile:
    """The province summary as of ``as_of``, issued ``today``, as PDF: the kept copy when current,
    else drawn (its heat-map through its own kept copy) and kept.

    Raises ``PdfUnavailable`` when it must be drawn on a machine without pango.
    """
    fingerprint = rollup_fingerprint(session, province, as_of)
    path = summary_path(root, province, fingerprint, as_of, today)
    filename = f"tong-hop-tinh-{as_of.isoformat()}.pdf"
    data = _read(path)
    if data is not None:
        return KeptFile(data, False, filename)
    rollup = build_rollup(session, province, as_of)
    report = build_province_summary(rollup, today=today, chart=_heatmap_of(root, rollup, fingerprint))
    data, _, _ = render(report, "pdf")
    _write(path, data)
    return KeptFile(data, True, filename)


def _heatmap_of(root: str | Path, rollup: ProvinceRollup, fingerprint: str) -> Chart:
    """The heat-map of a built ``rollup`` (its words for the document), drawn through the kept copy."""
    chart = province_heatmap(rollup)
    return replace(chart, draw=_kept_drawing(root, rollup.province, fingerprint,
                                             lambda fmt: chart.draw(fmt=fmt)))


def draw_ahead(session: Session, root: str | Path, province: Province, *, today: date,
               pdf: bool = True) -> tuple[dict[str, bool], set[Path]]:
    """Make sure the heat-map (SVG, PNG) and, if ``pdf``, the summary of ``province`` as of
    ``today`` are kept; return which were drawn now and the paths of the current copies."""
    fingerprint = rollup_fingerprint(session, province, today)
    chart = kept_heatmap(session, root, province, today)
    drawn, paths = {}, set()
    for fmt in FORMATS:
        path = heatmap_path(root, province, fingerprint, fmt)
        drawn[f"heatmap.{fmt}"] = not path.exists()
        chart.draw(fmt=fmt)
        paths.add(path)
    if pdf:
        drawn["summary.pdf"] = kept_summary_pdf(session, root, province, today, today=today).drawn
        paths.add(summary_path(root, province, fingerprint, today, today))
    return drawn, paths


def prune(root: str | Path, province: Province, keep: set[Path], *, now: float | None = None,
          days: int = KEEP_DAYS) -> int:
    """Remove the province's copies older than ``days`` except ``keep``; return how many."""
    cutoff = (time.time() if now is None else now) - days * 86400
    removed = 0
    for path in _folder(root, province).glob("*"):
        if path not in keep and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            removed += 1
    return removed
