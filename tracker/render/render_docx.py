"""The built report as DOCX (python-docx), laid out like the printable page.

Word does not embed fonts: the document names Times New Roman and the reader's PC supplies it.
Headings carry their outline numbers as text (no Word list numbering, which renumbers itself).
"""

from __future__ import annotations

import io
from datetime import UTC, datetime

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from docx.table import Table as DocxTable
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from tracker.render.document import Block, Header, Image, Report, Signature, Table
from tracker.render.layout import (
    FONT_NAME,
    LAYOUT,
    ROW_TINTS,
    heading_level,
    heading_text,
    is_numeric,
    prepare,
    row_lights,
    text_lines,
    text_width_mm,
)

L = LAYOUT
HEADING_STYLES = ("Heading 1", "Heading 2", "Heading 3")  # in Word's navigation pane; no numbering
BODY_LINE_SPACING = 1.15  # Word's multiple, about CSS line-height 1.3 for Times New Roman


def render_docx(report: Report) -> bytes:
    """Render the report as a Word document (A4, Nghị định 30 layout)."""
    report = prepare(report)
    doc = Document()
    _set_up_page(doc)
    _set_up_styles(doc)
    _write_header(doc, report.header)
    for text in report.intro:
        doc.add_paragraph(text)
    for block in report.blocks:
        _write_block(doc, block)
    if report.signature is not None:
        _write_signature(doc, report.signature)
    if report.appendix:
        doc.add_page_break()
        for block in report.appendix:
            _write_block(doc, block)
    _set_properties(doc, report.header)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _set_up_page(doc) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(L.page_width_mm), Mm(L.page_height_mm)
    section.top_margin, section.bottom_margin = Mm(L.margin_top_mm), Mm(L.margin_bottom_mm)
    section.left_margin, section.right_margin = Mm(L.margin_left_mm), Mm(L.margin_right_mm)
    section.header_distance = Mm(L.header_distance_mm)
    section.footer_distance = Mm(L.header_distance_mm)
    # Page numbers centred in the top margin, none on the first page.
    section.different_first_page_header_footer = True
    section.first_page_header.is_linked_to_previous = False  # an empty header of its own
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.first_line_indent = Cm(0)
    paragraph.paragraph_format.space_after = Pt(0)
    _add_page_field(paragraph, L.page_number_pt)


def _set_up_styles(doc) -> None:
    normal = doc.styles["Normal"]
    _set_font(normal, L.body_pt)
    fmt = normal.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    fmt.first_line_indent = Cm(L.first_line_indent_cm)
    fmt.space_before, fmt.space_after = Pt(0), Pt(L.paragraph_after_pt)
    fmt.line_spacing_rule = WD_LINE_SPACING.MULTIPLE
    fmt.line_spacing = BODY_LINE_SPACING
    for name in HEADING_STYLES:
        style = doc.styles[name]
        _set_font(style, L.body_pt, bold=True)
        style.font.italic = False
        style.font.color.rgb = None  # the template's headings are blue
        fmt = style.paragraph_format
        fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        fmt.first_line_indent = Cm(L.first_line_indent_cm)
        fmt.space_before, fmt.space_after = Pt(0), Pt(L.paragraph_after_pt)
        fmt.line_spacing = BODY_LINE_SPACING
        fmt.keep_with_next = True
    if "Caption" not in [s.name for s in doc.styles]:
        doc.styles.add_style("Caption", WD_STYLE_TYPE.PARAGRAPH)
    caption = doc.styles["Caption"]
    _set_font(caption, L.caption_pt)
    caption.font.color.rgb = None


def _set_font(style, size_pt: float, *, bold: bool | None = None) -> None:
    """Name Times New Roman for every script, dropping theme fonts (which win over named ones)."""
    style.font.name = FONT_NAME
    style.font.size = Pt(size_pt)
    if bold is not None:
        style.font.bold = bold
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{attribute}"), None)
    for attribute in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{attribute}"), FONT_NAME)
    rpr = style.element.get_or_add_rPr()
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.insert_element_before(lang, "w:eastAsianLayout", "w:specVanish", "w:oMath")
    lang.set(qn("w:val"), "vi-VN")  # spelling and line breaking in Vietnamese


def _write_header(doc, header: Header) -> None:
    right_mm = L.text_width_mm - L.header_left_mm
    table = _layout_table(doc, 2, (L.header_left_mm, right_mm))
    issuer, motto = table.rows[0].cells
    first = True
    if header.parent_body:
        _cell_line(issuer, header.parent_body, L.issuer_pt, first=first)
        first = False
    for line in header.issuing_body:
        _cell_line(issuer, line, L.issuer_pt, bold=True, first=first)
        first = False
    widest = max((text_width_mm(line, L.issuer_pt, bold=True) for line in header.issuing_body), default=20)
    _rule(issuer, L.header_left_mm, widest * L.rule_fraction)

    _cell_line(motto, header.motto[0], L.motto_pt, bold=True, first=True)
    _cell_line(motto, header.motto[1], L.motto_line_pt, bold=True)
    _rule(motto, right_mm, text_width_mm(header.motto[1], L.motto_line_pt, bold=True))

    number, place_date = table.rows[1].cells
    _cell_line(number, header.number, L.number_pt, first=True).paragraph_format.space_before = Pt(7)
    dated = _cell_line(place_date, header.place_date, L.place_date_pt, italic=True, first=True)
    dated.paragraph_format.space_before = Pt(7)

    title = _centred(doc.add_paragraph(), header.title, L.title_pt, bold=True)
    title.paragraph_format.space_before = Pt(20)
    _centred(doc.add_paragraph(), header.summary, L.summary_pt, bold=True)
    summary_mm = min(text_width_mm(header.summary, L.summary_pt, bold=True), L.text_width_mm)
    rule = _rule_paragraph(doc.add_paragraph(), L.text_width_mm, summary_mm * L.rule_fraction)
    rule.paragraph_format.space_after = Pt(16)


def _write_block(doc, block: Block) -> None:
    level = min(heading_level(block.number), len(HEADING_STYLES))
    doc.add_paragraph(heading_text(block), style=HEADING_STYLES[level - 1])
    for text in block.paragraphs:
        doc.add_paragraph(text)
    for table in block.tables:
        _write_table(doc, table)
    for image in block.images:
        _write_image(doc, image)
    for child in block.children:
        _write_block(doc, child)


def _write_table(doc, table: Table) -> None:
    if table.caption:
        caption = _centred(doc.add_paragraph(style="Caption"), table.caption, L.caption_pt, bold=True)
        caption.paragraph_format.space_after = Pt(3)
        caption.paragraph_format.keep_with_next = True
    grid = doc.add_table(rows=1 + len(table.rows), cols=len(table.columns), style="Table Grid")
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    for column, width in zip(grid.columns, column_widths_mm(table, L.text_width_mm), strict=True):
        column.width = Mm(width)
        for cell in column.cells:
            cell.width = Mm(width)
    header = grid.rows[0]
    _repeat_as_header(header)
    for cell, text in zip(header.cells, table.columns, strict=True):
        _cell_line(cell, text, L.table_pt, bold=True, first=True).alignment = WD_ALIGN_PARAGRAPH.CENTER
    for row, values, light in zip(grid.rows[1:], table.rows, row_lights(table), strict=True):
        _keep_row_together(row)
        for cell, text in zip(row.cells, values, strict=False):
            paragraph = _cell_line(cell, text, L.table_pt, first=True)
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if is_numeric(text) else WD_ALIGN_PARAGRAPH.LEFT
            if light:
                _shade(cell, ROW_TINTS[light])
    # Word glues two tables that touch into one; this also keeps a small gap after the table.
    gap = doc.add_paragraph().paragraph_format
    gap.space_after, gap.line_spacing_rule, gap.line_spacing = Pt(0), WD_LINE_SPACING.EXACTLY, Pt(6)


def column_widths_mm(table: Table, total_mm: float) -> list[float]:
    """Share the text width between columns as a browser does: by content, no word broken.

    python-docx would give every column the same width ("STT" as wide as the description).
    """
    padding = 4.5  # the cell's margins (Table Grid: 0.19 cm each side) and a little slack
    natural, minimum = [], []
    for index, heading in enumerate(table.columns):
        texts = [(heading, True)] + [(row[index], False) for row in table.rows if index < len(row)]
        natural.append(max(text_width_mm(text, L.table_pt, bold=bold) for text, bold in texts) + padding)
        minimum.append(max(text_width_mm(word, L.table_pt, bold=bold)
                           for text, bold in texts for word in text.split() or [""]) + padding)
    if sum(natural) <= total_mm:
        return [w * total_mm / sum(natural) for w in natural]
    spare = max(0.0, total_mm - sum(minimum))
    stretch = [n - m for n, m in zip(natural, minimum, strict=True)]
    return [m + spare * s / (sum(stretch) or 1) for m, s in zip(minimum, stretch, strict=True)]


def _write_image(doc, image: Image) -> None:
    width = Mm(min(image.width_mm, L.text_width_mm))
    doc.add_picture(io.BytesIO(image.png), width=width)
    picture = doc.paragraphs[-1]
    picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
    picture.paragraph_format.first_line_indent = Cm(0)
    picture.paragraph_format.keep_with_next = True
    picture.paragraph_format.space_after = Pt(3)
    caption = _centred(doc.add_paragraph(style="Caption"), image.alt, L.caption_pt, italic=True)
    caption.paragraph_format.space_after = Pt(L.paragraph_after_pt + 3)


def _write_signature(doc, signature: Signature) -> None:
    right_mm = L.text_width_mm - L.signature_left_mm
    table = _layout_table(doc, 1, (L.signature_left_mm, right_mm))
    _keep_row_together(table.rows[0])
    recipients, signer = table.rows[0].cells
    label = _cell_line(recipients, "Nơi nhận:", L.recipients_label_pt, bold=True, italic=True, first=True)
    label.alignment = WD_ALIGN_PARAGRAPH.LEFT
    for line in signature.recipients:
        _cell_line(recipients, line, L.recipients_pt).alignment = WD_ALIGN_PARAGRAPH.LEFT
    first = True
    for line in text_lines(signature.authority) + text_lines(signature.title):
        _cell_line(signer, line, L.authority_pt, bold=True, first=first)
        first = False
    name = _cell_line(signer, signature.signer, L.authority_pt, bold=True, first=first)
    name.paragraph_format.space_before = Mm(L.signer_space_mm)


def _layout_table(doc, rows: int, widths_mm: tuple[float, float]) -> DocxTable:
    """Add a borderless two-column table of fixed widths (header and signature blocks)."""
    table = doc.add_table(rows=rows, cols=2)
    table.autofit = False  # w:tblLayout fixed: the widths below hold
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    properties = table._tbl.tblPr
    # Children of w:tblPr must keep the schema's order, or Word calls the file corrupt.
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    properties.insert_element_before(borders, "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook",
                                     "w:tblCaption", "w:tblDescription", "w:tblPrChange")
    margins = OxmlElement("w:tblCellMar")
    for edge in ("left", "right"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:w"), "0")
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    properties.insert_element_before(margins, "w:tblLook", "w:tblCaption", "w:tblDescription",
                                     "w:tblPrChange")
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)
        for cell in column.cells:
            cell.width = Mm(width)
    return table


def _cell_line(cell: _Cell, text: str, size_pt: float, *, bold: bool = False, italic: bool = False,
               first: bool = False) -> Paragraph:
    """Write one centred, unindented line in a cell (its first paragraph, or a new one)."""
    paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
    return _centred(paragraph, text, size_pt, bold=bold, italic=italic, after=0, line_spacing=1.0)


def _centred(paragraph: Paragraph, text: str, size_pt: float, *, bold: bool = False, italic: bool = False,
             after: float = 0, line_spacing: float = 1.0) -> Paragraph:
    run = paragraph.add_run(text)
    run.font.size = Pt(size_pt)
    run.bold, run.italic = bold, italic
    fmt = paragraph.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fmt.first_line_indent = Cm(0)
    fmt.space_before, fmt.space_after = Pt(0), Pt(after)
    fmt.line_spacing = line_spacing
    return paragraph


def _rule(cell: _Cell, cell_mm: float, rule_mm: float) -> None:
    """Draw a centred horizontal rule of ``rule_mm`` under the cell's last line."""
    _rule_paragraph(cell.add_paragraph(), cell_mm, rule_mm)


def _rule_paragraph(paragraph: Paragraph, width_mm: float, rule_mm: float) -> Paragraph:
    """Turn an empty paragraph into a short rule: its top border, narrowed by equal indents."""
    indent = max(0.0, (width_mm - rule_mm) / 2)
    fmt = paragraph.paragraph_format
    fmt.left_indent = fmt.right_indent = Mm(indent)
    fmt.first_line_indent = Cm(0)
    fmt.space_before = Pt(3)  # clear of the descenders above
    fmt.space_after = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(2)
    border = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    for key, value in (("val", "single"), ("sz", "6"), ("space", "0"), ("color", "000000")):
        top.set(qn(f"w:{key}"), value)
    border.append(top)
    paragraph._p.get_or_add_pPr().insert_element_before(border, *_AFTER_PBDR)
    return paragraph


# What may follow w:pBdr inside w:pPr (the schema fixes the order).
_AFTER_PBDR = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
               "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
               "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
               "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
               "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")


def _add_page_field(paragraph: Paragraph, size_pt: float) -> None:
    """Append a PAGE field (Word and LibreOffice fill in the number)."""
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        run = paragraph.add_run()
        run.font.size = Pt(size_pt)
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        elif text == " PAGE ":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        else:
            element = OxmlElement("w:t")
            element.text = text
        run._r.append(element)


def _repeat_as_header(row) -> None:
    _keep_row_together(row)
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().insert_element_before(header, "w:tblCellSpacing", "w:jc", "w:hidden")


def _keep_row_together(row) -> None:
    cant_split = OxmlElement("w:cantSplit")
    cant_split.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().insert_element_before(
        cant_split, "w:trHeight", "w:tblHeader", "w:tblCellSpacing", "w:jc", "w:hidden")


def _shade(cell: _Cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    for key, value in (("val", "clear"), ("color", "auto"), ("fill", fill)):
        shading.set(qn(f"w:{key}"), value)
    cell._tc.get_or_add_tcPr().insert_element_before(
        shading, "w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark")


def _set_properties(doc, header: Header) -> None:
    properties = doc.core_properties
    properties.title = f"{header.title} {header.number}".strip()
    properties.subject = header.summary
    properties.author = properties.last_modified_by = " ".join(header.issuing_body)
    properties.comments = ""
    properties.keywords = ""
    properties.revision = 1
    properties.created = properties.modified = datetime.now(UTC).replace(microsecond=0, tzinfo=None)
