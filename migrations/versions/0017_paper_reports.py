"""paper reports

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-03 19:49:28.904825

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('paper_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('commune_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=False),
    sa.Column('doc_number', sa.String(length=60), nullable=True),
    sa.Column('doc_date', sa.String(length=60), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('flag_count', sa.Integer(), nullable=False),
    sa.Column('keyed_by_id', sa.Integer(), nullable=True),
    sa.Column('keyed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['commune_id'], ['commune.id'], name=op.f('fk_paper_report_commune_id_commune')),
    sa.ForeignKeyConstraint(['keyed_by_id'], ['user.id'], name=op.f('fk_paper_report_keyed_by_id_user')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_paper_report_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_paper_report'))
    )
    with op.batch_alter_table('paper_report', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_paper_report_commune_id'), ['commune_id'], unique=False)

    op.create_table('paper_figure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('count', sa.Integer(), nullable=True),
    sa.Column('percent_text', sa.String(length=40), nullable=True),
    sa.Column('percent', sa.String(length=20), nullable=True),
    sa.Column('base_key', sa.String(length=40), nullable=True),
    sa.Column('base_number', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['report_id'], ['paper_report.id'], name=op.f('fk_paper_figure_report_id_paper_report'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_paper_figure')),
    sa.UniqueConstraint('report_id', 'key', name=op.f('uq_paper_figure_report_id_key'))
    )
    with op.batch_alter_table('paper_figure', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_paper_figure_report_id'), ['report_id'], unique=False)



def downgrade():
    with op.batch_alter_table('paper_figure', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_paper_figure_report_id'))

    op.drop_table('paper_figure')
    with op.batch_alter_table('paper_report', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_paper_report_commune_id'))

    op.drop_table('paper_report')
