"""The outline is declared once (``tracker.domain.outline``): the narrative form's keys and the built
report's headings come from the same list, so every narrative lands in the report under its heading."""

from datetime import date

from tracker.domain.outline import OUTLINE, SECTIONS, WRITTEN, children, heading
from tracker.render.document import Block
from tracker.services.narratives import SECTION_KEYS, save_sections
from tracker.services.outline import build_outline_report


def blocks_by_number(blocks: tuple[Block, ...]) -> dict[str, Block]:
    found: dict[str, Block] = {}
    for block in blocks:
        found[block.number] = block
        found.update(blocks_by_number(block.children))
    return found


def test_the_outline_is_numbered_and_nested():
    keys = [s.key for s in OUTLINE]
    assert len(set(keys)) == len(keys)
    for key in keys:
        parent = key.rpartition(".")[0]
        assert parent == "" or parent in SECTIONS, f"{key} has no parent section"
    assert children("5.1") == ("5.1.1", "5.1.2", "5.1.3", "5.1.4", "5.1.5")
    assert SECTION_KEYS is WRITTEN, "the form writes exactly the outline's written sections"
    assert list(WRITTEN) == ["1", "2", "3.1", "5.1.1", "5.1.2", "5.1.3", "5.1.4", "5.1.5", "5.2"]


def test_every_narrative_appears_in_the_report_under_its_heading(db, plan, week, secretary):
    texts = {key: f"Nội dung mục {key}." for key in SECTION_KEYS}
    save_sections(db.session, secretary, week, texts, expected_version=week.version)
    db.session.commit()
    report = build_outline_report(db.session, plan, week, today=date(2025, 11, 20))
    blocks = blocks_by_number(report.blocks)
    assert set(blocks) == set(SECTIONS), "the report has every section of the outline, and only those"
    for section in OUTLINE:
        block = blocks[section.key]
        assert block.title == heading(section.key)
        if section.written:
            wanted = texts[section.key]
            assert any(p.endswith(wanted) for p in block.paragraphs), section.key
    assert "Đánh giá: Nội dung mục 1." in blocks["1"].paragraphs, "section 1's narrative is its assessment"
