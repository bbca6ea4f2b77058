"""progress_entry.period_id for entries derived from a period's figures

Entries derived from a period's figures were found by their note's "[kỳ #id]" prefix, and the note
named the figures by their English identifiers. They get ``period_id`` (taken from that prefix)
and a note in Vietnamese that says where the figure came from. Only notes in the exact form the
application wrote are touched; a note a person wrote that happens to start with "[kỳ #" is left
as it is. The downgrade writes the old notes back from ``period_id``.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 14:30:00.000000

"""
import re

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

# The figures of the derived targets (tracker.domain.stats.DERIVED) and their words in the note
# (the statistics' and finance labels in Vietnamese), frozen as they stand at this revision.
WORDS = {
    ("dossiers_new_online_full", "dossiers_new_total"):
        "hồ sơ trực tuyến toàn trình ÷ hồ sơ tiếp nhận mới trong kỳ",
    ("dx_spending", "total_local_spending"):
        "chi cho khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số ÷ tổng chi ngân sách địa phương",
}
KINDS = {"week": "tuần ", "month": "tháng ", "quarter": "quý ", "custom": ""}
OLD_NOTE = re.compile(r"\[kỳ #(\d+)\] Từ số liệu kỳ báo cáo (\d\d/\d\d/\d{4})–(\d\d/\d\d/\d{4}) "
                      r"\((\w+) ÷ (\w+)\)\.")
NEW_NOTE = re.compile(r"Tính từ số liệu kỳ báo cáo (?:\w+ )?(\d\d/\d\d/\d{4})–(\d\d/\d\d/\d{4}): (.+)\.")


def _entries(where):
    return op.get_bind().execute(sa.text(f"SELECT id, note, period_id FROM progress_entry WHERE {where}")).all()


def _periods():
    return {row.id: row for row in op.get_bind().execute(
        sa.text("SELECT id, kind, start_date, end_date FROM reporting_period"))}


def _day(value):
    """A date as stored (a date, or SQLite's ISO text) as dd/mm/yyyy."""
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)[:10]
    year, month, day = text.split("-")
    return f"{day}/{month}/{year}"


def upgrade():
    with op.batch_alter_table('progress_entry', schema=None) as batch_op:
        batch_op.add_column(sa.Column('period_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_progress_entry_period_id'), ['period_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_progress_entry_period_id_reporting_period'),
                                    'reporting_period', ['period_id'], ['id'])
    periods = _periods()
    update = sa.text("UPDATE progress_entry SET period_id = :period_id, note = :note WHERE id = :id")
    for entry in _entries("note LIKE '[kỳ #%'"):
        match = OLD_NOTE.fullmatch(entry.note)
        if not match or int(match[1]) not in periods or (match[4], match[5]) not in WORDS:
            continue
        period = periods[int(match[1])]
        note = (f"Tính từ số liệu kỳ báo cáo {KINDS.get(period.kind, '')}{_day(period.start_date)}–"
                f"{_day(period.end_date)}: {WORDS[(match[4], match[5])]}.")
        op.get_bind().execute(update, {"period_id": period.id, "note": note, "id": entry.id})


def downgrade():
    periods = _periods()
    by_words = {words: pair for pair, words in WORDS.items()}
    update = sa.text("UPDATE progress_entry SET note = :note WHERE id = :id")
    for entry in _entries("period_id IS NOT NULL"):
        period = periods[entry.period_id]
        match = NEW_NOTE.fullmatch(entry.note or "")
        marker = f"[kỳ #{period.id}]"
        if match and match[3] in by_words:
            numerator, denominator = by_words[match[3]]
            note = (f"{marker} Từ số liệu kỳ báo cáo {_day(period.start_date)}–{_day(period.end_date)} "
                    f"({numerator} ÷ {denominator}).")
        else:
            note = f"{marker} {entry.note or ''}".rstrip()
        op.get_bind().execute(update, {"note": note, "id": entry.id})
    with op.batch_alter_table('progress_entry', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_progress_entry_period_id_reporting_period'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_progress_entry_period_id'))
        batch_op.drop_column('period_id')
