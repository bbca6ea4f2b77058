"""The province's outline of a period's report (seed 003), declared once.

Each section has its number (the key a narrative is stored under), its heading as the report
prints it (Vietnamese, the outline's wording), and, for the sections the commune's secretary
writes, the label of its box on the period's page (an English msgid, shown translated). The
report builder (``services.outline``) takes its headings from here and the narrative form and
its save (``services.narratives``) take their keys from here, so the two cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass

from tracker.domain.i18n import LazyText
from tracker.domain.i18n import lazy_gettext as _l


@dataclass(frozen=True)
class OutlineSection:
    """One numbered section of the outline."""

    key: str
    heading: str
    label: LazyText | None = None  # the narrative box's label; None: built from the data, not written

    @property
    def written(self) -> bool:
        """True when the secretary writes this section's text (a narrative)."""
        return self.label is not None


OUTLINE = (
    OutlineSection("1", "Về pháp lý", _l("1. Assessment of the documents issued")),
    OutlineSection("2", "Về hạ tầng kỹ thuật, công nghệ",
                   _l("2. Technical and technological infrastructure")),
    OutlineSection("3", "Nguồn lực"),
    OutlineSection("3.1", "Nguồn nhân lực", _l("3.1. Human resources")),
    OutlineSection("3.2", "Nguồn lực về tài chính"),
    OutlineSection("4", "Kết quả thực hiện TTHC"),
    OutlineSection("5", "Nhận xét, kiến nghị, đề xuất"),
    OutlineSection("5.1", "Nhận xét"),
    OutlineSection("5.1.1", "Đánh giá những ưu điểm, những cách làm sáng tạo, cách làm để đáp ứng được "
                            "yêu cầu cần phổ biến, nhân rộng",
                   _l("5.1.1. Strengths and creative practices worth spreading")),
    OutlineSection("5.1.2", "Việc lãnh đạo, chỉ đạo khắc phục, giải quyết những khó khăn, vướng mắc, "
                            "hạn chế (tại các kỳ báo cáo trước đây)",
                   _l("5.1.2. How the difficulties of earlier periods were addressed")),
    OutlineSection("5.1.3", "Những khó khăn, vướng mắc, hạn chế thuộc thẩm quyền giải quyết của các Bộ, "
                            "Ngành, Cơ quan Trung ương",
                   _l("5.1.3. Difficulties that central ministries must resolve")),
    OutlineSection("5.1.4", "Những khó khăn, vướng mắc mới phát sinh trong kỳ báo cáo",
                   _l("5.1.4. New difficulties")),
    OutlineSection("5.1.5", "Nguyên nhân", _l("5.1.5. Causes")),
    OutlineSection("5.2", "Kiến nghị, đề xuất", _l("5.2. Recommendations and proposals")),
)

SECTIONS = {section.key: section for section in OUTLINE}
# The narratives the secretary writes, in outline order: key → the box's label.
WRITTEN = {section.key: section.label for section in OUTLINE if section.written}


def heading(key: str) -> str:
    """The heading the report prints for section ``key``."""
    return SECTIONS[key].heading


def children(key: str) -> tuple[str, ...]:
    """The keys of the sections directly under ``key``, in outline order."""
    return tuple(s.key for s in OUTLINE if s.key.rpartition(".")[0] == key)
