"""the commune–province reporting loop: a reporting calendar per province, a due moment on every
period, and the province's review of a submitted period (accepted or returned with a reason)

``reporting_period.status`` gains 'returned' and 'accepted' (the column stays a plain string).
Existing periods get no due moment (they were opened before any calendar).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03 19:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'reporting_calendar',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('province_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('days_after_end', sa.Integer(), nullable=False),
        sa.Column('due_time', sa.Time(), nullable=False),
        sa.Column('updated_by_id', sa.Integer(), nullable=True),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['province_id'], ['province.id'],
                                name=op.f('fk_reporting_calendar_province_id_province')),
        sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'],
                                name=op.f('fk_reporting_calendar_updated_by_id_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_reporting_calendar')),
        sa.UniqueConstraint('province_id', 'kind', name=op.f('uq_reporting_calendar_province_id_kind')),
    )
    with op.batch_alter_table('reporting_period', schema=None) as batch_op:
        batch_op.add_column(sa.Column('due_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('accepted_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('accepted_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('returned_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('returned_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('return_reason', sa.Text(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_reporting_period_accepted_by_id_user'), 'user',
                                    ['accepted_by_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_reporting_period_returned_by_id_user'), 'user',
                                    ['returned_by_id'], ['id'])


def downgrade():
    with op.batch_alter_table('reporting_period', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_reporting_period_returned_by_id_user'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_reporting_period_accepted_by_id_user'), type_='foreignkey')
        batch_op.drop_column('return_reason')
        batch_op.drop_column('returned_by_id')
        batch_op.drop_column('returned_at')
        batch_op.drop_column('accepted_by_id')
        batch_op.drop_column('accepted_at')
        batch_op.drop_column('due_at')
    op.drop_table('reporting_calendar')
