"""The built report: one tree of plain values that every format (HTML, PDF, DOCX) renders.

Builders (``tracker.services.outline``) fill it from the database; renderers
(``tracker.render.render_*``) only lay it out. No renderer computes a figure or a word of
content, so the formats cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field

NONE_TEXT = "không"  # the outline's rule: a section without content or figure says "không"


@dataclass(frozen=True)
class Table:
    """A table with a header row; ``colours`` optionally names a light per row (green/amber/...)."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    colours: tuple[str | None, ...] = ()
    caption: str | None = None


@dataclass(frozen=True)
class Image:
    """A chart: PNG bytes for PDF/DOCX, SVG text for HTML, and its text alternative."""

    png: bytes
    svg: str
    alt: str
    width_mm: float = 150


@dataclass(frozen=True)
class Block:
    """A numbered section: its heading, paragraphs (already worded), tables, images, sub-blocks.

    ``number`` is the outline's numbering ("1", "3.1", "5.1.2"); ``title`` the heading text.
    An empty block renders its paragraphs as they are; builders put ``NONE_TEXT`` where the
    outline wants "không".
    """

    number: str
    title: str
    paragraphs: tuple[str, ...] = ()
    tables: tuple[Table, ...] = ()
    images: tuple[Image, ...] = ()
    children: tuple[Block, ...] = ()


@dataclass(frozen=True)
class Header:
    """The administrative header of Nghị định 30/2020/NĐ-CP (two columns) and the title."""

    parent_body: str | None  # upright caps above the issuing body, e.g. none for a commune UBND
    issuing_body: tuple[str, ...]  # bold caps lines: ("ỦY BAN NHÂN DÂN", "XÃ NGỌK BAY")
    number: str  # "Số: 15/BC-UBND"
    place_date: str  # "Ngọk Bay, ngày 05 tháng 3 năm 2025"
    title: str  # "BÁO CÁO"
    summary: str  # trích yếu, e.g. "Kết quả thực hiện Kế hoạch số 02-KH/BCĐTW ..."
    motto: tuple[str, str] = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")


@dataclass(frozen=True)
class Signature:
    """``Nơi nhận`` at left; the authority, title and signer at right."""

    recipients: tuple[str, ...]
    authority: str  # "TM. ỦY BAN NHÂN DÂN"
    title: str  # "CHỦ TỊCH"
    signer: str  # the signer's name, or "" when not yet known


@dataclass(frozen=True)
class Report:
    """A whole document: header, an optional intro paragraph, numbered blocks, signature."""

    header: Header
    blocks: tuple[Block, ...]
    signature: Signature | None  # None: an internal paper without "Nơi nhận" and signer
    intro: tuple[str, ...] = ()
    appendix: tuple[Block, ...] = field(default_factory=tuple)
    filename: str = "bao-cao"  # ASCII stem for downloads
    compact: bool = False  # printed in smaller type (the one-page summary)
