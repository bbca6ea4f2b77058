"""What every report format shares: the page layout of Nghị định 30/2020/NĐ-CP and the text rules.

The HTML/PDF template and the DOCX writer read their sizes from ``LAYOUT`` and their headings from
``heading_text``, so a change here moves every format at once.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import TypeVar

from fontTools.ttLib import TTFont

from tracker.render.document import Block, Report, Table

FONTS_DIR = Path(__file__).resolve().parent.parent / "static" / "fonts"
# "Times New Roman" first: a PC that has it prints with it; Tinos and Liberation Serif 2 share its metrics.
FONT_FAMILY = '"Times New Roman", "Tinos", "Liberation Serif", serif'
FONT_NAME = "Times New Roman"  # DOCX does not embed fonts: Word uses the PC's own
# The PDF uses only the bundled Tinos, under a family name no server has, so that neither an
# installed font nor a fontconfig alias (Times New Roman -> Liberation Serif 1.x, which lacks
# Vietnamese letters) can change the printout. The PDF names the embedded font "Tinos-Print".
PDF_FONT_FAMILY = '"Tinos Print", serif'
# (weight, style) -> the bundled file, declared with @font-face under PDF_FONT_FAMILY.
FONT_FILES = {
    ("normal", "normal"): "Tinos-Regular.ttf",
    ("bold", "normal"): "Tinos-Bold.ttf",
    ("normal", "italic"): "Tinos-Italic.ttf",
    ("bold", "italic"): "Tinos-BoldItalic.ttf",
}
# Light backgrounds for table rows whose light is named; the row's own text also says the colour.
ROW_TINTS = {"green": "E3F4E8", "amber": "FFF1CC", "red": "FDE3E3", "grey": "ECEEF1"}


@dataclass(frozen=True)
class PrintLayout:
    """Sizes of the administrative document: millimetres for the page, points for text."""

    page_width_mm: float = 210
    page_height_mm: float = 297
    margin_top_mm: float = 20
    margin_bottom_mm: float = 20
    margin_left_mm: float = 30
    margin_right_mm: float = 15
    header_distance_mm: float = 10  # the page number sits in the top margin
    body_pt: float = 14
    line_height: float = 1.3  # CSS multiple of the font size (about Word's "single" for Times)
    paragraph_after_pt: float = 6
    first_line_indent_cm: float = 1
    issuer_pt: float = 13  # ỦY BAN NHÂN DÂN / XÃ ...
    motto_pt: float = 12  # CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
    motto_line_pt: float = 13  # Độc lập - Tự do - Hạnh phúc
    number_pt: float = 13  # Số: 15/BC-UBND
    place_date_pt: float = 14
    title_pt: float = 14
    summary_pt: float = 14
    table_pt: float = 12
    table_line_height: float = 1.2
    cell_padding_pt: tuple[float, float] = (2, 4)  # vertical, horizontal
    caption_pt: float = 12
    recipients_label_pt: float = 12  # Nơi nhận:
    recipients_pt: float = 11
    authority_pt: float = 14
    signer_space_mm: float = 25  # room for the signature and the seal
    page_number_pt: float = 13
    header_left_mm: float = 65  # issuing body column; the motto column takes the rest
    signature_left_mm: float = 75  # Nơi nhận column; the signer column takes the rest
    rule_fraction: float = 0.4  # short rules: 1/3 to 1/2 of the line above them

    @property
    def text_width_mm(self) -> float:
        """The width between the left and right margins."""
        return self.page_width_mm - self.margin_left_mm - self.margin_right_mm


LAYOUT = PrintLayout()
# The one-page summary: the same page, smaller type, so a plan's targets fit on one sheet.
COMPACT_LAYOUT = replace(LAYOUT, margin_top_mm=12, margin_bottom_mm=10, body_pt=11, line_height=1.15,
                         paragraph_after_pt=3, title_pt=13, summary_pt=12, table_pt=8.5, caption_pt=9,
                         table_line_height=1.05, cell_padding_pt=(0.5, 3),
                         signer_space_mm=18)


def layout_for(report) -> PrintLayout:
    """The layout a report is printed with (compact for the one-page summary)."""
    return COMPACT_LAYOUT if getattr(report, "compact", False) else LAYOUT

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_FIGURE = re.compile(r"[-+−]?\(?\d")
T = TypeVar("T")


def prepare(report: Report) -> Report:
    """Return the report with every text in Unicode NFC and without control characters.

    Builders already store NFC; this is the renderers' last defence (decomposed Vietnamese draws
    wrongly in some viewers, and DOCX refuses control characters).
    """
    return _clean(report)


def _clean(value: T) -> T:
    if isinstance(value, str):
        text = unicodedata.normalize("NFC", value).replace("\x0b", " ").replace("\x0c", " ")
        return _CONTROL.sub("", text)  # type: ignore[return-value]
    if isinstance(value, tuple):
        return tuple(_clean(v) for v in value)  # type: ignore[return-value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.replace(value, **{f.name: _clean(getattr(value, f.name))
                                             for f in dataclasses.fields(value)})
    return value


def heading_level(number: str) -> int:
    """Return a heading's depth from its outline number: "3" → 1, "3.1" → 2, "5.1.2" → 3."""
    parts = [p for p in number.strip().strip(".").split(".") if p]
    return max(1, len(parts))


def heading_text(block: Block) -> str:
    """Return the heading as printed: "3.1. Nguồn nhân lực" (or the bare title without a number)."""
    number = block.number.strip().rstrip(".")
    return f"{number}. {block.title}" if number else block.title


def text_lines(text: str) -> list[str]:
    """Split a multi-line field (e.g. "TM. ỦY BAN NHÂN DÂN\\nKT. CHỦ TỊCH") into its lines."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def row_lights(table: Table) -> list[str | None]:
    """Return each row's light where the builder named a known one (its tint is ``ROW_TINTS``)."""
    colours = [*table.colours, *[None] * len(table.rows)][:len(table.rows)]
    return [c if c in ROW_TINTS else None for c in colours]


def is_numeric(cell: str) -> bool:
    """Tell whether a cell holds a figure ("08", "812 hồ sơ", "2,10% (03/143 TTHC)"): it is centred."""
    text = cell.strip()
    return bool(_FIGURE.match(text)) and len(text.split()) <= 4


def text_width_mm(text: str, size_pt: float, *, bold: bool = False) -> float:
    """Measure a line of text in Times New Roman's metrics (Tinos has the same advance widths)."""
    widths, cmap, units = _metrics(bold)
    default = widths.get(".notdef", units // 2)
    total = sum(widths.get(cmap.get(ord(ch), ".notdef"), default)
                for ch in unicodedata.normalize("NFC", text))
    return total / units * size_pt * 25.4 / 72


@cache
def _metrics(bold: bool) -> tuple[dict[str, int], dict[int, str], int]:
    with TTFont(FONTS_DIR / FONT_FILES[("bold" if bold else "normal", "normal")]) as font:
        widths = {name: advance for name, (advance, _lsb) in font["hmtx"].metrics.items()}
        return widths, dict(font.getBestCmap()), font["head"].unitsPerEm
