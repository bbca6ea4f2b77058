"""province summary report: its header and the sections the province edited

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-03 19:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('province_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('province_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('report_number', sa.String(length=40), nullable=True),
    sa.Column('report_date', sa.Date(), nullable=True),
    sa.Column('signer_name', sa.String(length=200), nullable=True),
    sa.Column('signer_title', sa.String(length=200), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['province_id'], ['province.id'], name=op.f('fk_province_report_province_id_province')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_province_report_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_province_report')),
    sa.UniqueConstraint('province_id', 'kind', 'start_date',
                        name=op.f('uq_province_report_province_id_kind_start_date'))
    )
    with op.batch_alter_table('province_report', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_province_report_province_id'), ['province_id'], unique=False)

    op.create_table('province_report_section',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=10), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['report_id'], ['province_report.id'],
                            name=op.f('fk_province_report_section_report_id_province_report')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'],
                            name=op.f('fk_province_report_section_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_province_report_section')),
    sa.UniqueConstraint('report_id', 'key', name=op.f('uq_province_report_section_report_id_key'))
    )
    with op.batch_alter_table('province_report_section', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_province_report_section_report_id'), ['report_id'], unique=False)


def downgrade():
    with op.batch_alter_table('province_report_section', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_province_report_section_report_id'))
    op.drop_table('province_report_section')
    with op.batch_alter_table('province_report', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_province_report_province_id'))
    op.drop_table('province_report')
