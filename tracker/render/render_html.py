"""The built report as one standalone printable HTML page (also the PDF renderer's input).

A Jinja environment of its own, so the page renders without a Flask app (PDF, CLI). The page has
no scripts and requests nothing: its CSS is inline and charts are inline SVG.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Mapping
from dataclasses import dataclass

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from tracker.render.document import Image, Report, Table
from tracker.render.layout import (
    FONT_FAMILY,
    PDF_FONT_FAMILY,
    ROW_TINTS,
    heading_level,
    heading_text,
    is_numeric,
    layout_for,
    prepare,
    row_lights,
    text_lines,
)

TEMPLATE = "reports/print.html"
# For the web route that serves the page: it needs inline styles (the <style> element and the
# charts' style attributes) and nothing else; the app's default policy forbids inline styles.
PRINT_PAGE_CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
                  "form-action 'none'; frame-ancestors 'none'")

# The same page with a screen-only toolbar: its date form sends to the app, its print button runs
# the app's one small script (no inline script).
TOOLBAR_PAGE_CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'self'; "
                    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


@dataclass(frozen=True)
class Toolbar:
    """Screen-only controls above a print page, never printed nor in the PDF: the way back, another
    date (a GET form), print, and the downloads. Texts and addresses come from the caller."""

    back_href: str
    back_text: str
    print_text: str
    script_src: str
    downloads: tuple[tuple[str, str], ...] = ()  # (text, href)
    date_action: str | None = None
    date_label: str = ""
    date_value: str = ""  # dd/mm/yyyy, as a person types it (the address's ISO date is redirected to)
    date_submit: str = ""
    date_pattern: str = ""  # what the date field accepts (tracker.domain.dates.TYPED_DATE_PATTERN)
    hidden: tuple[tuple[str, str], ...] = ()  # (name, value) the date form keeps, e.g. the commune


_SVG_PROLOG = re.compile(r"\A\s*(<\?xml[^>]*\?>\s*)?(<!DOCTYPE[^>]*>\s*)?", re.IGNORECASE)
_SVG_ROOT = re.compile(r"<svg\b[^>]*>", re.IGNORECASE)
_SVG_SIZE = re.compile(r"""\s(width|height)\s*=\s*("[^"]*"|'[^']*')""", re.IGNORECASE)
_VIEWBOX = re.compile(r"""viewBox\s*=\s*["']\s*[-\d.]+[\s,]+[-\d.]+[\s,]+([\d.]+)[\s,]+([\d.]+)\s*["']""",
                      re.IGNORECASE)
_ACTIVE_SVG = re.compile(r"""<script|<foreignObject|<a\b|\son[a-z]+\s*=|javascript:|href\s*=\s*["'](?!#)""",
                         re.IGNORECASE)


def render_html(report: Report, toolbar: Toolbar | None = None) -> str:
    """Render the report as a complete printable page (A4, Nghị định 30 layout), with the
    screen-only ``toolbar`` when given."""
    return render_page(report, toolbar=toolbar)


def render_page(report: Report, *, font_urls: Mapping[tuple[str, str], str] | None = None,
                for_pdf: bool = False, toolbar: Toolbar | None = None) -> str:
    """Render the page; the PDF renderer passes its bundled fonts and asks for PNG charts.

    Without fonts the page names "Times New Roman" first (a PC that has it prints with it) and
    loads nothing; with them it uses only the bundled fonts (see ``layout.PDF_FONT_FAMILY``).
    """
    template = _ENV.get_template(TEMPLATE)
    family = PDF_FONT_FAMILY if font_urls else FONT_FAMILY
    return template.render(report=prepare(report), L=layout_for(report), font_family=family,
                           font_urls=dict(font_urls or {}), tints=ROW_TINTS, for_pdf=for_pdf,
                           toolbar=None if for_pdf else toolbar)


def _inline_svg(image: Image) -> Markup:
    """Return the chart's SVG for inlining: no XML prolog, sized in millimetres, nothing active."""
    svg = _SVG_PROLOG.sub("", image.svg)
    if _ACTIVE_SVG.search(svg):
        # Charts come from tracker.render.charts; anything that could run or link is not one.
        raise ValueError("refusing an SVG chart with scripts, links or event handlers")
    root = _SVG_ROOT.search(svg)
    if root is None:
        raise ValueError("the chart is not an SVG document")
    tag = _SVG_SIZE.sub("", root.group(0))
    size = f' width="{image.width_mm:g}mm"'
    if box := _VIEWBOX.search(tag):
        ratio = float(box.group(2)) / float(box.group(1))
        size += f' height="{image.width_mm * ratio:.1f}mm"'
    tag = tag[:4] + size + tag[4:]
    return Markup(svg[:root.start()] + tag + svg[root.end():])  # noqa: S704 (our chart, checked above)


def _png_data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def _rows_with_lights(table: Table) -> list[tuple[tuple[str, ...], str | None]]:
    return list(zip(table.rows, row_lights(table), strict=True))


_ENV = Environment(
    loader=PackageLoader("tracker", "templates"),
    autoescape=select_autoescape(["html"]),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
_ENV.filters.update(
    heading_text=heading_text,
    heading_level=heading_level,
    is_numeric=is_numeric,
    lines=text_lines,
    inline_svg=_inline_svg,
    png_data_uri=_png_data_uri,
    rows_with_lights=_rows_with_lights,
)
