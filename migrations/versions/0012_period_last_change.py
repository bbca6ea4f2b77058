"""period last change

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 14:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

# The audit actions that bump a period's version (services.periods.claim_version): the last of
# them is the period's last change. "period.create" does not bump it.
CHANGES = ('stats.record', 'finance.record', 'section.save', 'period.submit', 'period.reopen')
CHANNELS = ('form', 'api', 'import')


def upgrade():
    with op.batch_alter_table('reporting_period', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_changed_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('last_changed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('last_change', sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column('last_channel', sa.String(length=10), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_reporting_period_last_changed_by_id_user'), 'user',
                                    ['last_changed_by_id'], ['id'])
    _backfill()


def _backfill():
    """Each period's last change, from the newest of its audit events that changed it."""
    audit = sa.table('audit_event', sa.column('id', sa.Integer), sa.column('actor_id', sa.Integer),
                     sa.column('at', sa.DateTime(timezone=True)), sa.column('action', sa.String),
                     sa.column('object_type', sa.String), sa.column('object_id', sa.String),
                     sa.column('after', sa.JSON))
    period = sa.table('reporting_period', sa.column('id', sa.Integer),
                      sa.column('last_changed_by_id', sa.Integer),
                      sa.column('last_changed_at', sa.DateTime(timezone=True)),
                      sa.column('last_change', sa.String), sa.column('last_channel', sa.String))
    connection = op.get_bind()
    newest = (sa.select(sa.func.max(audit.c.id))
              .where(audit.c.object_type == 'period', audit.c.action.in_(CHANGES))
              .group_by(audit.c.object_id))
    events = connection.execute(
        sa.select(audit.c.object_id, audit.c.actor_id, audit.c.at, audit.c.action, audit.c.after)
        .where(audit.c.id.in_(newest))).all()
    for event in events:
        if not (event.object_id or '').isdigit():
            continue
        via = event.after.get('via') if isinstance(event.after, dict) else None
        connection.execute(period.update().where(period.c.id == int(event.object_id)).values(
            last_changed_by_id=event.actor_id, last_changed_at=event.at, last_change=event.action,
            last_channel=via if via in CHANNELS else 'form'))


def downgrade():
    with op.batch_alter_table('reporting_period', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_reporting_period_last_changed_by_id_user'),
                                 type_='foreignkey')
        batch_op.drop_column('last_channel')
        batch_op.drop_column('last_change')
        batch_op.drop_column('last_changed_at')
        batch_op.drop_column('last_changed_by_id')
