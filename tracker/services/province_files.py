"""The province's heat-map and summary PDF, drawn ahead by the nightly job and kept as files.

Drawing the heat-map of 96 communes takes about a second, the summary PDF two to four; both are
read by every province official each morning. The nightly job (``province_files``) draws them for
today, and a request that finds no current copy draws it once and keeps it for the next.

**What "current" means.** A kept file is named by the fingerprint of exactly what it shows: for
the heat-map, the communes' names, the target codes and every cell's colour (and the drawing
code's version: ``services.charts.province_heatmap``); for the PDF, every word and figure of the
built report, its date, the ``as_of`` it is for and the heat-map's fingerprint
(``outline.province_summary_fingerprint``). A request builds the roll-up as of its date (the
roll-up's five queries, which it needs anyway to know what it would draw), computes the
fingerprint, and serves the file of that name if there is one. So a copy is current exactly when
it is what would be drawn now: any commune's new entry, correction or changed target that changes
a light or a printed figure gives another fingerprint (the copy is stale and a new one is drawn),
another ``as_of`` gives another file, and a change that alters nothing drawn (an entry equal to
the one it supersedes) keeps the copy, which is still right. No clock decides it, so a file drawn
at night is never served after a day's entries have changed the figures.

**Why files under the instance folder, not a table.** A GET saves nothing to the database
(``tracker.read_only`` rolls back whatever it wrote), and a page that draws on demand is a GET:
a file written atomically (``os.replace``) is kept whatever the request's transaction does, and two
workers drawing the same copy at once just write the same bytes. The copies are derived data (lost,
they are drawn again), so they stay out of the database and its backups; the web workers and the
scheduler share the folder as they share ``UPLOAD_DIR`` for evidence.
"""

from __future__ import annotations

import os
import tempfile
import time
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from tracker.render import render
from tracker.services.charts import Chart, province_heatmap
from tracker.services.outline import build_province_summary, province_summary_fingerprint
from tracker.services.province import ProvinceRollup

KEEP_DAYS = 7  # the nightly job removes copies older than this that are not today's


@dataclass(frozen=True)
class KeptFile:
    """A drawn copy: its bytes, whether it was drawn for this request, and the name to send it by."""

    data: bytes
    drawn: bool
    filename: str


def _folder(root: str | Path, rollup: ProvinceRollup) -> Path:
    return Path(root) / f"province-{rollup.province.id}"


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


def heatmap_path(root: str | Path, rollup: ProvinceRollup, chart: Chart, fmt: str) -> Path:
    """Where the heat-map ``chart`` of ``rollup`` is kept in ``fmt``."""
    return _folder(root, rollup) / f"heatmap-{chart.fingerprint}.{fmt}"


def kept_heatmap(root: str | Path, rollup: ProvinceRollup) -> Chart:
    """The heat-map of ``rollup`` whose picture comes from its kept copy, drawn and kept if missing.

    Same fingerprint and words as ``province_heatmap``; only where the bytes come from differs.
    """
    chart = province_heatmap(rollup)

    def draw(fmt: str) -> bytes:
        path = heatmap_path(root, rollup, chart, fmt)
        data = _read(path)
        if data is None:
            data = chart.draw(fmt=fmt)
            _write(path, data)
        return data

    return replace(chart, draw=draw)


def summary_path(root: str | Path, rollup: ProvinceRollup, *, today: date) -> Path:
    """Where the province summary PDF of ``rollup``, dated ``today``, is kept."""
    fingerprint = province_summary_fingerprint(rollup, today=today)
    return _folder(root, rollup) / f"summary-{rollup.as_of.isoformat()}-{fingerprint}.pdf"


def kept_summary_pdf(root: str | Path, rollup: ProvinceRollup, *, today: date) -> KeptFile:
    """The province summary of ``rollup`` as PDF: the kept copy when current, else drawn and kept.

    Raises ``PdfUnavailable`` when it must be drawn on a machine without pango.
    """
    path = summary_path(root, rollup, today=today)
    filename = f"tong-hop-tinh-{rollup.as_of.isoformat()}.pdf"
    data = _read(path)
    if data is not None:
        return KeptFile(data, False, filename)
    # The heat-map inside it from its own kept copy: the job and the page draw it once.
    report = build_province_summary(rollup, today=today, chart=kept_heatmap(root, rollup))
    data, _, _ = render(report, "pdf")
    _write(path, data)
    return KeptFile(data, True, filename)


def draw_ahead(root: str | Path, rollup: ProvinceRollup, *, today: date, pdf: bool = True) -> dict[str, bool]:
    """Make sure every copy of ``rollup`` is kept (heat-map in SVG and PNG, and the PDF);
    return which were drawn now."""
    chart = kept_heatmap(root, rollup)
    drawn = {}
    for fmt in ("svg", "png"):
        missing = not heatmap_path(root, rollup, chart, fmt).exists()
        chart.draw(fmt=fmt)
        drawn[f"heatmap.{fmt}"] = missing
    if pdf:
        drawn["summary.pdf"] = kept_summary_pdf(root, rollup, today=today).drawn
    return drawn


def prune(root: str | Path, rollup: ProvinceRollup, keep: set[Path], *, now: float | None = None,
          days: int = KEEP_DAYS) -> int:
    """Remove the province's copies older than ``days`` except ``keep``; return how many."""
    cutoff = (time.time() if now is None else now) - days * 86400
    removed = 0
    for path in _folder(root, rollup).glob("*"):
        if path not in keep and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            removed += 1
    return removed
