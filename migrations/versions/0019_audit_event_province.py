"""audit event province

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-03 19:55:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade():
    # Nullable: a commune user's events have none.
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('province_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_audit_event_province_id'), ['province_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_audit_event_province_id_province'), 'province',
                                    ['province_id'], ['id'])
    # The events province users recorded before: their province, as record_event now fills it, so
    # the province's log starts with its past (an account's scope never changes once made).
    op.execute(sa.text(
        'UPDATE audit_event SET province_id = (SELECT "user".province_id FROM "user" '
        'WHERE "user".id = audit_event.actor_id) '
        'WHERE actor_id IN (SELECT id FROM "user" WHERE province_id IS NOT NULL)'))


def downgrade():
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_audit_event_province_id_province'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_audit_event_province_id'))
        batch_op.drop_column('province_id')
