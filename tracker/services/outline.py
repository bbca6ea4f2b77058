"""Building the outline report of a period and the one-page status summary, from the data.

The result is a ``tracker.render.document.Report``; HTML, PDF and DOCX render that same tree.
Wording follows the province's outline (seed 003) and the sample reports (seeds 000–002):
"không" wherever a section has no content or figure.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

if TYPE_CHECKING:
    from tracker.services.province_summary import ProvinceSummary

from tracker.domain.formatting import (
    NO_FIGURE,
    format_count,
    format_date,
    format_money,
    format_number,
    format_ratio,
    format_share,
    short_unit_name,
)
from tracker.domain.outline import children as sections_under
from tracker.domain.outline import heading
from tracker.domain.province import figure_text, goal_text, total_text
from tracker.domain.stats import FINANCE_FIELDS, LABELS, shares
from tracker.domain.status import AMBER, COLOUR_LABELS, COLOUR_ORDER, GREEN, RED
from tracker.models import Plan, PlanItem, ReportingPeriod
from tracker.render.charts import heatmap_size
from tracker.render.document import NONE_TEXT, Block, Header, Image, Report, Signature, Table
from tracker.services.charts import Chart, colours_of, province_heatmap
from tracker.services.directives import open_directives
from tracker.services.figures import finance_values, stats_values
from tracker.services.legal import documents_of
from tracker.services.province import ProvinceRollup
from tracker.services.status import ItemStatus, count_by_colour, plan_status

# The plan every periodic report answers (the outline's title, seed 003).
CENTRAL_PLAN = ("Kế hoạch số 02-KH/BCĐTW ngày 19/6/2025 về thúc đẩy chuyển đổi số liên thông, đồng bộ, "
                "nhanh, hiệu quả")
DEFAULT_RECIPIENTS = ("Thường trực Đảng ủy xã", "Thường trực HĐND xã", "Chủ tịch, các PCT UBND xã",
                      "Lưu: VT, VHXH")


def count_text(value: int | None, unit: str) -> str:
    """``02 hồ sơ`` as the reports write counts (``format_count``), or "không" when there is no figure."""
    if value is None:
        return NONE_TEXT
    return f"{format_count(value)} {unit}"


def money_text(value: int | None) -> str:
    """``650 triệu đồng``, ``28,5 tỷ đồng`` (``format_money``), or "không"."""
    return NONE_TEXT if value is None else format_money(value)


def place_date(place: str, day: date) -> str:
    """``Ngọk Bay, ngày 05 tháng 3 năm 2025``: days under 10 padded, months 1 and 2 padded."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def _place(commune_name: str) -> str:
    for prefix in ("Xã ", "Phường ", "Đặc khu ", "Tỉnh ", "Thành phố "):
        if commune_name.startswith(prefix):
            return commune_name.removeprefix(prefix)
    return commune_name


def _text_or_none(text: str | None) -> tuple[str, ...]:
    """Split a narrative into paragraphs, or "không" when empty."""
    paragraphs = tuple(p.strip() for p in (text or "").splitlines() if p.strip())
    return paragraphs or (NONE_TEXT,)


def _block(key: str, paragraphs: tuple[str, ...] = (), tables: tuple[Table, ...] = (),
           children: tuple[Block, ...] = ()) -> Block:
    """Section ``key`` of the outline under its heading (``tracker.domain.outline``)."""
    return Block(key, heading(key), paragraphs, tables, children=children)


def _written(key: str, narrative: dict) -> Block:
    """A section the secretary writes: the narrative's paragraphs, or "không"."""
    return _block(key, _text_or_none(narrative.get(key)))


def lead_text(item: PlanItem) -> str:
    """The lead unit, and who assigned it: the plan's document (with its part) or the commune itself
    (seed 004 names no unit for most items, so a report must not present the commune's choice as the
    plan's)."""
    if item.lead_assigned_by == "document":
        part = f", Phần {item.assignment_section}" if item.assignment_section else ""
        return f"{item.lead_unit.name} (theo văn bản{part})"
    return f"{item.lead_unit.name} (phân công của xã)"


def _status_table(rows: list[ItemStatus], caption: str) -> Table:
    """The plan's lights as a table, the word beside the colour; figures worded as on the item's page."""
    return Table(
        columns=("Mã", "Nội dung", "Đơn vị chủ trì", "Hạn", "Yêu cầu", "Hiện tại", "Tình trạng"),
        rows=tuple((r.code, r.item.title, lead_text(r.item), format_date(r.item.deadline), r.required_text,
                    NO_FIGURE if r.status.actual is None else r.current_text,
                    str(COLOUR_LABELS[r.status.colour])) for r in rows),
        colours=tuple(r.status.colour for r in rows),
        caption=caption,
    )


def _section_1(session: Session, period: ReportingPeriod, rows: list[ItemStatus], narrative: dict) -> Block:
    documents = documents_of(session, period.commune_id, until=period.end_date)
    if documents:
        issued = (f"Số lượng văn bản đã ban hành để lãnh đạo, chỉ đạo tổ chức thực hiện: "
                  f"{count_text(len(documents), 'văn bản')}, cụ thể:",)
        table = (Table(columns=("Số, ký hiệu", "Ngày ban hành", "Cơ quan ban hành", "Loại", "Trích yếu"),
                       rows=tuple((d.number, format_date(d.issued_date), d.issuer, d.kind, d.summary)
                                  for d in documents)),)
    else:
        issued, table = ("Số lượng văn bản đã ban hành để lãnh đạo, chỉ đạo tổ chức thực hiện: không.",), ()
    documented = {t.id for d in documents for t in d.tasks}
    # Only tasks whose product is a document: a review of equipment is late work, not a late document.
    late = [r for r in rows if r.kind == "task" and r.item.deliverable == "legal_document"
            and r.item.deadline < period.end_date and not r.status.met and r.item.id not in documented]
    not_issued = ("Những văn bản chưa được ban hành theo tiến độ: "
                  + ("; ".join(f"{r.code} – {r.item.title} (hạn {format_date(r.item.deadline)})"
                               for r in late)
                     if late else NONE_TEXT) + ".",)
    assessment = tuple(f"Đánh giá: {p}" if i == 0 else p
                       for i, p in enumerate(_text_or_none(narrative.get("1"))))
    return _block("1", issued + not_issued + assessment, table)


FUNDING = ("estimate", "approved", "allocated", "not_allocated", "disbursed")


def _finance_lines(money: dict) -> tuple[str, ...]:
    """Outline section 3.2 in the report's words, from funding figures as ``finance_values`` gives them."""
    lines = [f"- {FINANCE_FIELDS[name]}: {money_text(money.get(name))}." for name in FUNDING]
    spent_on = (money.get("disbursed_for") or NONE_TEXT).rstrip(".")
    lines.append(f"- Nội dung giải ngân: {spent_on}.")
    if money.get("dx_spending") is not None and money.get("total_local_spending"):
        share = format_share(money["dx_spending"], money["total_local_spending"], money=True)
        lines.append(f"- Tỷ lệ chi cho khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số trên tổng chi "
                     f"ngân sách địa phương: {share}.")
    return tuple(lines)


def _section_3(period: ReportingPeriod, narrative: dict) -> Block:
    return _block("3", children=(_written("3.1", narrative),
                                 _block("3.2", _finance_lines(finance_values(period.finance)))))


def _section_4(period: ReportingPeriod) -> Block:
    s = stats_values(period.stats)
    if not s:
        return _block("4", (NONE_TEXT,))
    return _block("4", tthc_paragraphs(s))


def tthc_paragraphs(s: dict) -> tuple[str, ...]:
    """Outline section 4 in the report's words, from TTHC figures as ``stats_values`` gives them
    (a commune's, or the province's sum)."""
    ratio = shares(s)

    def n(name: str, unit: str = "hồ sơ") -> str:
        return count_text(s.get(name), unit)

    def total(*names: str) -> int | None:
        values = [s.get(name) for name in names]
        return None if any(v is None for v in values) else sum(values)

    online_detail = ""
    if s.get("dossiers_new_online_full") is not None or s.get("dossiers_new_online_partial") is not None:
        online_detail = (f" (toàn trình {n('dossiers_new_online_full')}, "
                         f"một phần {n('dossiers_new_online_partial')})")
    received = count_text(total("dossiers_carried_over", "dossiers_new_total"), "hồ sơ")
    late_reasons = (s.get("late_reasons") or NONE_TEXT).rstrip(".")
    resolved = count_text(total("resolved_on_time", "resolved_late"), "hồ sơ")
    paragraphs = [
        f"- Tổng số TTHC thuộc thẩm quyền: {n('tthc_total', 'TTHC')}; đã niêm yết, công khai: "
        f"{n('tthc_published', 'TTHC')}; không phụ thuộc địa giới hành chính: "
        f"{n('tthc_boundary_free', 'TTHC')}.",
        f"- Số lượng TTHC thực hiện theo hình thức trực tuyến toàn trình: {n('tthc_online_full', 'TTHC')}; "
        f"trực tuyến một phần: {n('tthc_online_partial', 'TTHC')}; trực tiếp: {n('tthc_in_person', 'TTHC')}; "
        f"qua dịch vụ bưu chính công ích: {n('tthc_postal', 'TTHC')}.",
        f"- Tỷ lệ TTHC phát sinh hồ sơ theo từng hình thức: trực tuyến toàn trình "
        f"{ratio['tthc_active_online_full']}; trực tuyến một phần {ratio['tthc_active_online_partial']}; "
        f"trực tiếp {ratio['tthc_active_in_person']}.",
        f"- Tổng số hồ sơ tiếp nhận, giải quyết trong kỳ: {received}, trong đó: kỳ trước chuyển sang "
        f"{n('dossiers_carried_over')}; tiếp nhận mới {n('dossiers_new_total')} (trực tuyến "
        f"{n('dossiers_new_online')}{online_detail}; trực tiếp {n('dossiers_new_in_person')}; "
        f"qua dịch vụ bưu chính công ích {n('dossiers_new_postal')}).",
        "- Tỷ lệ hồ sơ phát sinh theo từng hình thức trên tổng số hồ sơ tiếp nhận mới: trực tuyến "
        f"toàn trình "
        f"{ratio['dossiers_new_online_full']}; trực tuyến một phần {ratio['dossiers_new_online_partial']}; "
        f"trực tiếp {ratio['dossiers_new_in_person']}; qua bưu chính công ích "
        f"{ratio['dossiers_new_postal']}.",
        f"- Số hồ sơ đã giải quyết: {resolved}, trong đó trước hạn, đúng hạn {n('resolved_on_time')}; "
        f"quá hạn {n('resolved_late')}.",
        f"- Số hồ sơ đang giải quyết chưa đến hạn: {n('pending_not_due')}.",
        f"- Tổng số hồ sơ chậm cập nhật vào hệ thống: {n('entered_late')}.",
        f"- Tổng số hồ sơ giải quyết quá hạn đang xử lý: trong kỳ {n('pending_overdue')}; "
        f"lũy kế đến kỳ báo cáo {n('pending_overdue_cumulative')}.",
        f"- Nguyên nhân, lý do của việc giải quyết hồ sơ quá hạn: {late_reasons}.",
    ]
    if s.get("override_explanation"):
        paragraphs.append(f"- Giải trình số liệu: {s['override_explanation']}")
    return tuple(paragraphs)


def _section_5(narrative: dict) -> Block:
    remarks = tuple(_written(key, narrative) for key in sections_under("5.1"))
    return _block("5", children=(_block("5.1", children=remarks), _written("5.2", narrative)))


def _header(commune_name: str, number: str | None, day: date, summary: str) -> Header:
    return Header(parent_body=None, issuing_body=("ỦY BAN NHÂN DÂN", commune_name.upper()),
                  number=f"Số: {number or '      '}/BC-UBND",
                  place_date=place_date(_place(commune_name), day),
                  title="BÁO CÁO", summary=summary)


def _signature(period: ReportingPeriod) -> Signature:
    return _signing(period.recipients, period.signer_title, period.signer_name, DEFAULT_RECIPIENTS)


def _signing(recipients_text: str | None, title: str | None, name: str | None,
             default: tuple[str, ...]) -> Signature:
    """"Nơi nhận" (one per line as typed, else ``default``) and the signer of a People's Committee."""
    lines = (recipients_text or "").splitlines()
    recipients = tuple(line.strip().strip(";.").lstrip("- ").strip() for line in lines if line.strip())
    recipients = recipients or default
    shown = tuple(f"- {r};" for r in recipients[:-1]) + (f"- {recipients[-1]}.",)
    return Signature(recipients=shown, authority="TM. ỦY BAN NHÂN DÂN", title=title or "CHỦ TỊCH",
                     signer=name or "")


def build_outline_report(session: Session, plan: Plan, period: ReportingPeriod, *, today: date) -> Report:
    """Build the province's outline report for ``period``, lights as of the period's end."""
    rows = plan_status(session, plan, period.end_date)
    narrative = {s.key: s.text for s in period.sections}
    commune = plan.commune.name
    span = f"từ ngày {format_date(period.start_date)} đến ngày {format_date(period.end_date)}"
    summary = f"Kết quả thực hiện {CENTRAL_PLAN} ({span})"
    intro = (f"Thực hiện {plan.implements or plan.title}; Ủy ban nhân dân {commune[:1].lower()}{commune[1:]} "
             f"báo cáo kết quả thực hiện {span} như sau:",)
    blocks = (
        _section_1(session, period, rows, narrative),
        _written("2", narrative),
        _section_3(period, narrative),
        _section_4(period),
        _section_5(narrative),
    )
    appendix = (Block("", f"Phụ lục: Tình hình thực hiện các chỉ tiêu, nhiệm vụ của Kế hoạch đến ngày "
                          f"{format_date(period.end_date)}",
                      tables=(_status_table(rows, "Chỉ tiêu và nhiệm vụ"),)),)
    return Report(header=_header(commune, period.report_number, period.report_date or today, summary),
                  blocks=blocks, signature=_signature(period), intro=intro, appendix=appendix,
                  filename=f"bao-cao-{period.start_date.isoformat()}-{period.end_date.isoformat()}")


# The province's report: who it goes to, and how a commune not (yet) included stands.
PROVINCE_RECIPIENTS = ("Thường trực Tỉnh ủy", "Thường trực HĐND tỉnh", "Chủ tịch, các PCT UBND tỉnh",
                       "Lưu: VT")
WAITING_WORDS = {None: "chưa mở kỳ báo cáo", "draft": "đang soạn", "submitted": "đã gửi, chờ tiếp nhận",
                 "returned": "đã trả lại để hoàn thiện", "accepted": "đã tiếp nhận"}
# Outline section 4 per commune, as four tables narrow enough for a portrait page.
TTHC_TABLES = (
    ("Số lượng TTHC", (
        ("tthc_total", "Tổng số"), ("tthc_published", "Niêm yết, công khai"),
        ("tthc_online_full", "Trực tuyến toàn trình"), ("tthc_online_partial", "Trực tuyến một phần"),
        ("tthc_in_person", "Trực tiếp"), ("tthc_postal", "Bưu chính công ích"),
        ("tthc_boundary_free", "Không phụ thuộc địa giới"))),
    ("Số TTHC phát sinh hồ sơ", (
        ("tthc_active_online_full", "Trực tuyến toàn trình"),
        ("tthc_active_online_partial", "Trực tuyến một phần"),
        ("tthc_active_in_person", "Trực tiếp"))),
    ("Hồ sơ tiếp nhận", (
        ("dossiers_carried_over", "Kỳ trước chuyển sang"), ("dossiers_new_total", "Tiếp nhận mới"),
        ("dossiers_new_online", "Trực tuyến"), ("dossiers_new_online_full", "Toàn trình"),
        ("dossiers_new_online_partial", "Một phần"), ("dossiers_new_in_person", "Trực tiếp"),
        ("dossiers_new_postal", "Bưu chính công ích"))),
    ("Kết quả giải quyết hồ sơ", (
        ("resolved_on_time", "Trước hạn, đúng hạn"), ("resolved_late", "Quá hạn"),
        ("pending_not_due", "Đang giải quyết, chưa đến hạn"),
        ("pending_overdue", "Quá hạn đang xử lý (trong kỳ)"),
        ("pending_overdue_cumulative", "Quá hạn đang xử lý (lũy kế)"), ("entered_late", "Chậm cập nhật"))),
)
TOTAL_ROW = "Tổng cộng"


def standing_words(period: ReportingPeriod | None) -> str:
    """Where a commune's period stands, in the report's words."""
    status = period.status if period else None
    return WAITING_WORDS.get(status, status or "")


def _per_commune(caption: str, columns: tuple[tuple[str, str], ...], rows: list[tuple[str, dict]],
                 total: dict, cell) -> Table:
    """One row per commune and the total row, ``cell`` writing each figure."""
    return Table(columns=("Xã", *(header for _name, header in columns)),
                 rows=tuple((name, *(cell(values.get(n)) for n, _header in columns))
                            for name, values in [*rows, (TOTAL_ROW, total)]),
                 caption=caption)


def _joined(texts: list[tuple[str, str | None]]) -> str | None:
    """Short texts of several communes on one line: ``Xã A: …; Xã B: …`` (None when all empty)."""
    parts = [f"{name}: {' '.join(text.split()).rstrip('.')}" for name, text in texts if text and text.strip()]
    return "; ".join(parts) or None


def _province_intro(summary: ProvinceSummary, span: str) -> tuple[str, ...]:
    """Whose reports the province's report is made of, and whose are not (yet) in it."""
    province, included = summary.province.name, summary.included
    names = ", ".join(p.commune.name for p in included)
    intro = [f"Thực hiện {CENTRAL_PLAN}; Ủy ban nhân dân {province[:1].lower()}{province[1:]} tổng hợp "
             f"báo cáo của các xã {span} như sau:",
             f"Đã tiếp nhận và tổng hợp báo cáo của {format_ratio(len(included), len(summary.communes))} xã"
             + (f": {names}." if names else ".")]
    if summary.waiting:
        waiting = "; ".join(f"{c.name} ({standing_words(p)})" for c, p in summary.waiting)
        intro.append(f"Chưa tổng hợp: {waiting}. Số liệu dưới đây là của các xã đã được tiếp nhận, chưa phải "
                     "số liệu của toàn tỉnh.")
    return tuple(intro)


def _province_section_4(summary: ProvinceSummary) -> Block:
    """The accepted communes' TTHC figures: the total in the outline's words, then per commune."""
    if not summary.included:
        return _block("4", (NONE_TEXT,))
    rows = [(p.commune.name, summary.stats.by_commune[p.commune_id]) for p in summary.included]
    totals = {**summary.stats.figures,
              "late_reasons": _joined([(n, v.get("late_reasons")) for n, v in rows]),
              "override_explanation": _joined([(n, v.get("override_explanation")) for n, v in rows])}
    stats = summary.stats
    partial = "; ".join(f"{str(LABELS[name]).lower()} ({format_ratio(stats.reporting[name], stats.count)} xã)"
                        for name in stats.partial)
    paragraphs = ("Tổng hợp các xã đã tiếp nhận:", *tthc_paragraphs(totals),
                  *(f"- Số liệu tổng hợp chưa khớp: {p.message}" for p in stats.problems),
                  *((f"- Số liệu chỉ có ở một phần các xã (tổng là của các xã có số liệu): {partial}.",)
                    if partial else ()))
    tables = tuple(_per_commune(caption, columns, rows, totals, lambda v: format_number(v, NO_FIGURE))
                   for caption, columns in TTHC_TABLES)
    return _block("4", paragraphs, tables)


def _province_section_3(summary: ProvinceSummary) -> Block:
    """Human resources as written, and the accepted communes' funding: the total, then per commune."""
    rows = [(p.commune.name, summary.finance_by_commune[p.commune_id]) for p in summary.included]
    money = {**summary.finance, "disbursed_for": _joined([(n, v.get("disbursed_for")) for n, v in rows])}
    columns = tuple((name, str(FINANCE_FIELDS[name])) for name in FUNDING)
    table = (_per_commune("Kinh phí theo từng xã", columns, rows, money,
                          lambda v: format_money(v, NO_FIGURE)),)
    return _block("3", children=(_written("3.1", summary.texts),
                                 _block("3.2", _finance_lines(money), table if rows else ())))


def build_province_period_report(summary: ProvinceSummary, *, today: date) -> Report:
    """Build the province's own report of a period, in the outline of the communes' reports, from
    the accepted communes: their figures per commune with the province's total, and the sections as
    the province's secretary saved them (else as gathered from the communes)."""
    report = summary.report
    span = f"từ ngày {format_date(summary.start)} đến ngày {format_date(summary.end)}"
    blocks = (_written("1", summary.texts), _written("2", summary.texts), _province_section_3(summary),
              _province_section_4(summary), _section_5(summary.texts))
    listing = Table(
        columns=("STT", "Xã", "Tình trạng", "Số báo cáo", "Ngày gửi"),
        rows=tuple((str(i), c.name, standing_words(p),
                    f"{p.report_number}/BC-UBND" if p and p.report_number else NO_FIGURE,
                    format_date(p.submitted_at.date()) if p and p.submitted_at else NO_FIGURE)
                   for i, (c, p) in enumerate(((c, summary.periods.get(c.id)) for c in summary.communes), 1)))
    appendix = (Block("", "Phụ lục: Các xã trong kỳ báo cáo", tables=(listing,)),)
    header = _header(summary.province.name, report.report_number if report else None,
                     (report.report_date if report else None) or today,
                     f"Tổng hợp kết quả thực hiện {CENTRAL_PLAN} của các xã ({span})")
    signature = _signing(None, report.signer_title if report else None,
                         report.signer_name if report else None, PROVINCE_RECIPIENTS)
    return Report(header=header, blocks=blocks, signature=signature, intro=_province_intro(summary, span),
                  appendix=appendix,
                  filename=f"bao-cao-tong-hop-{summary.start.isoformat()}-{summary.end.isoformat()}")


def _summary_table(rows: list[ItemStatus]) -> Table:
    """The status table made short enough for one page: value and goal together, units shortened."""
    full = _status_table(rows, "")
    return Table(
        columns=("Mã", "Nội dung", "Chủ trì", "Hạn", "Hiện tại / Yêu cầu", "Tình trạng"),
        rows=tuple((code, title, short_unit_name(unit), deadline, f"{actual} / {goal}", word)
                   for code, title, unit, deadline, goal, actual, word in full.rows),
        colours=full.colours,
    )


def build_summary(session: Session, plan: Plan, as_of: date, *, today: date) -> Report:
    """Build the one-page status summary for leaders as of ``as_of``."""
    rows = plan_status(session, plan, as_of)
    targets = [r for r in rows if r.kind == "target"]
    overdue = [r for r in rows if r.kind == "task" and r.item.deadline < as_of and not r.status.met]
    directives = open_directives(session, plan)
    chart = colours_of(count_by_colour(rows), as_of)
    image = Image(png=chart.render("png"), svg=chart.render("svg").decode(), alt=chart.text, width_mm=60)
    blocks = (
        Block("1", "Các chỉ tiêu", tables=(_summary_table(targets),),
              images=(image,)),
        Block("2", "Nhiệm vụ quá hạn", tables=(_summary_table(overdue),)
              if overdue else (), paragraphs=() if overdue else (NONE_TEXT,)),
        Block("3", "Ý kiến chỉ đạo chưa được trả lời",
              tuple(f"- {d.item.code}: {d.text} ({d.author.full_name}, {format_date(d.created_at.date())})"
                    for d in directives) or (NONE_TEXT,)),
    )
    summary = f"Tóm tắt tình hình thực hiện Kế hoạch chuyển đổi số đến ngày {format_date(as_of)}"
    return Report(header=_header(plan.commune.name, None, today, summary), blocks=blocks,
                  signature=None, filename=f"tom-tat-{as_of.isoformat()}", compact=True)


# The heat-map's largest height on the province summary's first page, in millimetres: the room
# page 1 leaves under the header and the overview (about 150 mm of an A4's 247). A taller picture
# does not fit there and WeasyPrint moves it whole to page 2, leaving page 1 nearly blank (it was
# 230 mm, issue 15). 96 communes at this height are still legible (7 pt names).
HEATMAP_MAX_HEIGHT_MM = 150.0


def _province_figure_text(column) -> str:
    """The province's figure as the roll-up page words it, the sum of a count after it."""
    total = total_text(column.figure, column.unit_label)
    shown = figure_text(column.figure, column.unit_label)
    return f"{shown} ({total})" if total else shown


def build_province_summary(rollup: ProvinceRollup, *, today: date, chart: Chart | None = None) -> Report:
    """Build the province's summary: totals and heat-map, the province's figure per target, and
    the communes ordered by how many targets are late (same formats as the periodic reports).

    ``chart``: the heat-map of ``rollup`` if the caller has one (drawn through its kept copy)."""
    province, as_of = rollup.province, rollup.as_of
    chart = chart or province_heatmap(rollup)
    width, height = heatmap_size(len(rollup.rows), len(rollup.columns))
    image = Image(png=chart.render("png"), svg=chart.render("svg").decode(), alt=chart.text,
                  width_mm=min(170.0, HEATMAP_MAX_HEIGHT_MM * width / height))
    cells = sum(rollup.totals.values())
    words = ", ".join(f"{format_count(n)} {COLOUR_LABELS[c].lower()}" for c, n in rollup.totals.items())
    overview = (f"Toàn tỉnh có {format_count(len(rollup.rows))} xã theo dõi, {format_count(cells)} "
                f"lượt chỉ tiêu đến ngày {format_date(as_of)}: {words}.",)
    no_plan = [r.commune.name for r in rollup.rows if r.plan is None]
    if no_plan:
        overview += (f"Chưa có kế hoạch: {', '.join(no_plan)}.",)
    figures = Table(
        columns=("Mã", "Chỉ tiêu", "Cách tổng hợp", "Toàn tỉnh", "Yêu cầu", "Số xã có số liệu"),
        rows=tuple((c.code, c.title, c.figure.method, _province_figure_text(c),
                    goal_text(c.figure, c.unit_label), format_ratio(c.figure.reporting, c.figure.communes))
                   for c in rollup.columns))
    ranking = Table(
        columns=("STT", "Xã", *(str(COLOUR_LABELS[c]) for c in COLOUR_ORDER)),
        rows=tuple((str(i), r.commune.name, *(format_number(r.counts[c]) for c in COLOUR_ORDER))
                   for i, r in enumerate(rollup.rows, start=1)),
        colours=tuple(RED if r.counts[RED] else AMBER if r.counts[AMBER] else GREEN for r in rollup.rows))
    blocks = (
        Block("1", "Tổng hợp chung", overview, images=(image,)),
        Block("2", "Số liệu toàn tỉnh theo từng chỉ tiêu", tables=(figures,) if rollup.columns else (),
              paragraphs=() if rollup.columns else (NONE_TEXT,)),
        Block("3", "Các xã, xếp theo số chỉ tiêu chậm", tables=(ranking,) if rollup.rows else (),
              paragraphs=() if rollup.rows else (NONE_TEXT,)),
    )
    place = province.name.removeprefix("Tỉnh ").removeprefix("Thành phố ")
    header = Header(parent_body=None, issuing_body=("ỦY BAN NHÂN DÂN", province.name.upper()),
                    number="Số:       /BC-UBND", place_date=place_date(place, today), title="BÁO CÁO",
                    summary=f"Tổng hợp tình hình thực hiện kế hoạch chuyển đổi số của các xã đến ngày "
                            f"{format_date(as_of)}")
    return Report(header=header, blocks=blocks, signature=None,
                  filename=f"tong-hop-tinh-{as_of.isoformat()}")
