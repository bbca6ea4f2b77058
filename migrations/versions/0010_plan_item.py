"""one plan_item table for targets and tasks; item_id everywhere

Targets and tasks become rows of one table, ``plan_item`` (single-table inheritance on ``kind``),
and every table that pointed at one of them with a ``target_id``/``task_id`` pair (and a CHECK that
exactly one is set) gets one ``item_id``. Targets keep their ids; tasks are numbered after the
largest target id (task id + that offset), and every reference to a task is moved by the same
offset. The support tables become ``item_support``, the legal documents' links
``legal_document_item``, and ``task_target`` points at ``plan_item`` on both sides.

The downgrade restores the two tables with the ids the items have (a task keeps its plan_item
id, which no target has), and every link with them.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 14:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

SHARED = "plan_id, code, title, start_date, deadline, lead_unit_id, source, sort_order"
TARGET_ONLY = ("section, measure, target_value, baseline, direction, unit_label, numerator_label, "
               "denominator_label, derived_from")

# The items' current entries, as tracker.models.progress.refresh_latest_entries builds them,
# frozen here as they stand at each end of this migration.
LATEST = """
INSERT INTO latest_entry ({column}, entry_id, last_as_of)
SELECT p.{column},
       (SELECT e.id FROM progress_entry e
         WHERE e.{column} = p.{column}
           AND NOT EXISTS (SELECT 1 FROM progress_entry s WHERE s.supersedes_id = e.id)
         ORDER BY e.as_of DESC, e.created_at DESC, e.id DESC LIMIT 1),
       MAX(p.as_of)
  FROM progress_entry p
 WHERE p.{column} IS NOT NULL
 GROUP BY p.{column}
"""


def _reset_sequence(table):
    """After rows were inserted with their ids, the next id follows the largest (PostgreSQL)."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(sa.text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                           f"COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) FROM {table}"))


def _point_at_items(table, offset, *, check=False, indexes=(), nullable=False, new_index=None):
    """Give ``table`` one ``item_id`` in place of its ``target_id``/``task_id`` pair."""
    with op.batch_alter_table(table) as batch_op:
        batch_op.add_column(sa.Column('item_id', sa.Integer(), nullable=True))
    op.execute(sa.text(f"UPDATE {table} SET item_id = COALESCE(target_id, task_id + :offset)")
               .bindparams(offset=offset))
    with op.batch_alter_table(table) as batch_op:
        for name in indexes:
            batch_op.drop_index(name)
        if check:
            batch_op.drop_constraint(op.f(f'ck_{table}_one_item'), type_='check')
        batch_op.drop_constraint(f'fk_{table}_target_id_target', type_='foreignkey')
        batch_op.drop_constraint(f'fk_{table}_task_id_task', type_='foreignkey')
        batch_op.drop_column('target_id')
        batch_op.drop_column('task_id')
        if not nullable:
            batch_op.alter_column('item_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_foreign_key(f'fk_{table}_item_id_plan_item', 'plan_item', ['item_id'], ['id'])
        if new_index:
            batch_op.create_index(new_index[0], new_index[1], unique=False)


def _point_at_targets_and_tasks(table, *, check=False, indexes=(), new_index=None):
    """Give ``table`` back its ``target_id``/``task_id`` pair in place of ``item_id``."""
    with op.batch_alter_table(table) as batch_op:
        batch_op.add_column(sa.Column('target_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('task_id', sa.Integer(), nullable=True))
    for column, kind in (("target_id", "target"), ("task_id", "task")):
        op.execute(sa.text(f"UPDATE {table} SET {column} = item_id WHERE item_id IN "
                           f"(SELECT id FROM plan_item WHERE kind = '{kind}')"))
    with op.batch_alter_table(table) as batch_op:
        if new_index:
            batch_op.drop_index(new_index)
        batch_op.drop_constraint(f'fk_{table}_item_id_plan_item', type_='foreignkey')
        batch_op.drop_column('item_id')
        if check:
            batch_op.create_check_constraint('one_item', '(target_id IS NULL) <> (task_id IS NULL)')
        batch_op.create_foreign_key(f'fk_{table}_target_id_target', 'target', ['target_id'], ['id'])
        batch_op.create_foreign_key(f'fk_{table}_task_id_task', 'task', ['task_id'], ['id'])
        for name, columns in indexes:
            batch_op.create_index(name, columns, unique=False)


def upgrade():
    op.create_table('plan_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=1000), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=False),
    sa.Column('lead_unit_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('section', sa.String(length=20), nullable=True),
    sa.Column('measure', sa.String(length=20), nullable=True),
    sa.Column('target_value', sa.Float(), nullable=True),
    sa.Column('baseline', sa.Float(), nullable=True),
    sa.Column('direction', sa.String(length=10), nullable=True),
    sa.Column('unit_label', sa.String(length=60), nullable=True),
    sa.Column('numerator_label', sa.String(length=200), nullable=True),
    sa.Column('denominator_label', sa.String(length=200), nullable=True),
    sa.Column('derived_from', sa.String(length=40), nullable=True),
    sa.Column('deadline_group', sa.String(length=200), nullable=True),
    sa.CheckConstraint("kind IN ('target', 'task')", name=op.f('ck_plan_item_kind')),
    sa.CheckConstraint("kind <> 'target' OR (section IS NOT NULL AND measure IS NOT NULL "
                       "AND direction IS NOT NULL)", name=op.f('ck_plan_item_target_columns')),
    sa.CheckConstraint("kind <> 'task' OR deadline_group IS NOT NULL", name=op.f('ck_plan_item_task_columns')),
    sa.ForeignKeyConstraint(['lead_unit_id'], ['unit.id'], name=op.f('fk_plan_item_lead_unit_id_unit')),
    sa.ForeignKeyConstraint(['plan_id'], ['plan.id'], name=op.f('fk_plan_item_plan_id_plan')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_item')),
    sa.UniqueConstraint('plan_id', 'code', name=op.f('uq_plan_item_plan_id_code'))
    )
    with op.batch_alter_table('plan_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_item_lead_unit_id'), ['lead_unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_plan_item_plan_id'), ['plan_id'], unique=False)

    # Tasks are numbered after the targets: task id + offset.
    offset = op.get_bind().scalar(sa.text("SELECT COALESCE(MAX(id), 0) FROM target"))
    op.execute(sa.text(f"INSERT INTO plan_item (id, kind, {SHARED}, {TARGET_ONLY}) "
                       f"SELECT id, 'target', {SHARED}, {TARGET_ONLY} FROM target"))
    op.execute(sa.text(f"INSERT INTO plan_item (id, kind, {SHARED}, deadline_group) "
                       f"SELECT id + :offset, 'task', {SHARED}, deadline_group FROM task").bindparams(offset=offset))
    _reset_sequence('plan_item')

    op.create_table('item_support',
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['plan_item.id'], name=op.f('fk_item_support_item_id_plan_item'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_item_support_unit_id_unit'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('item_id', 'unit_id', name=op.f('pk_item_support'))
    )
    op.execute(sa.text("INSERT INTO item_support (item_id, unit_id) SELECT target_id, unit_id FROM target_support"))
    op.execute(sa.text("INSERT INTO item_support (item_id, unit_id) SELECT task_id + :offset, unit_id "
                       "FROM task_support").bindparams(offset=offset))

    op.create_table('legal_document_item',
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['legal_document.id'], name=op.f('fk_legal_document_item_document_id_legal_document'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['item_id'], ['plan_item.id'], name=op.f('fk_legal_document_item_item_id_plan_item'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('document_id', 'item_id', name=op.f('pk_legal_document_item'))
    )
    op.execute(sa.text("INSERT INTO legal_document_item (document_id, item_id) "
                       "SELECT document_id, target_id FROM legal_document_target"))
    op.execute(sa.text("INSERT INTO legal_document_item (document_id, item_id) "
                       "SELECT document_id, task_id + :offset FROM legal_document_task").bindparams(offset=offset))

    with op.batch_alter_table('task_target', schema=None) as batch_op:
        batch_op.drop_constraint('fk_task_target_target_id_target', type_='foreignkey')
        batch_op.drop_constraint('fk_task_target_task_id_task', type_='foreignkey')
    op.execute(sa.text("UPDATE task_target SET task_id = task_id + :offset").bindparams(offset=offset))
    with op.batch_alter_table('task_target', schema=None) as batch_op:
        batch_op.create_foreign_key(batch_op.f('fk_task_target_task_id_plan_item'), 'plan_item', ['task_id'], ['id'], ondelete='CASCADE')
        batch_op.create_foreign_key(batch_op.f('fk_task_target_target_id_plan_item'), 'plan_item', ['target_id'], ['id'], ondelete='CASCADE')

    _point_at_items('progress_entry', offset, check=True,
                    indexes=('ix_progress_entry_target_current', 'ix_progress_entry_task_current'),
                    new_index=('ix_progress_entry_item_current', ['item_id', 'as_of', 'created_at', 'id']))
    _point_at_items('directive', offset, check=True, indexes=('ix_directive_target_id', 'ix_directive_task_id'),
                    new_index=('ix_directive_item_id', ['item_id']))
    _point_at_items('status_snapshot', offset, nullable=True)

    # Derived data: rebuilt from the entries rather than moved.
    op.drop_table('latest_entry')
    op.create_table('latest_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('last_as_of', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['entry_id'], ['progress_entry.id'], name=op.f('fk_latest_entry_entry_id_progress_entry')),
    sa.ForeignKeyConstraint(['item_id'], ['plan_item.id'], name=op.f('fk_latest_entry_item_id_plan_item')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_latest_entry')),
    sa.UniqueConstraint('item_id', name=op.f('uq_latest_entry_item_id'))
    )
    op.execute(sa.text(LATEST.format(column="item_id")))

    op.drop_table('legal_document_target')
    op.drop_table('legal_document_task')
    op.drop_table('target_support')
    op.drop_table('task_support')
    with op.batch_alter_table('target', schema=None) as batch_op:
        batch_op.drop_index('ix_target_lead_unit_id')
        batch_op.drop_index('ix_target_plan_id')
    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.drop_index('ix_task_lead_unit_id')
        batch_op.drop_index('ix_task_plan_id')
    op.drop_table('target')
    op.drop_table('task')


def downgrade():
    op.create_table('target',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=1000), nullable=False),
    sa.Column('section', sa.String(length=20), nullable=False),
    sa.Column('measure', sa.String(length=20), nullable=False),
    sa.Column('target_value', sa.Float(), nullable=True),
    sa.Column('baseline', sa.Float(), nullable=True),
    sa.Column('direction', sa.String(length=10), nullable=False),
    sa.Column('unit_label', sa.String(length=60), nullable=True),
    sa.Column('numerator_label', sa.String(length=200), nullable=True),
    sa.Column('denominator_label', sa.String(length=200), nullable=True),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=False),
    sa.Column('lead_unit_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('derived_from', sa.String(length=40), nullable=True),
    sa.ForeignKeyConstraint(['lead_unit_id'], ['unit.id'], name=op.f('fk_target_lead_unit_id_unit')),
    sa.ForeignKeyConstraint(['plan_id'], ['plan.id'], name=op.f('fk_target_plan_id_plan')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_target')),
    sa.UniqueConstraint('plan_id', 'code', name=op.f('uq_target_plan_id_code'))
    )
    op.create_index('ix_target_lead_unit_id', 'target', ['lead_unit_id'], unique=False)
    op.create_index('ix_target_plan_id', 'target', ['plan_id'], unique=False)
    op.create_table('task',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=1000), nullable=False),
    sa.Column('deadline_group', sa.String(length=200), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=False),
    sa.Column('lead_unit_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['lead_unit_id'], ['unit.id'], name=op.f('fk_task_lead_unit_id_unit')),
    sa.ForeignKeyConstraint(['plan_id'], ['plan.id'], name=op.f('fk_task_plan_id_plan')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_task')),
    sa.UniqueConstraint('plan_id', 'code', name=op.f('uq_task_plan_id_code'))
    )
    op.create_index('ix_task_lead_unit_id', 'task', ['lead_unit_id'], unique=False)
    op.create_index('ix_task_plan_id', 'task', ['plan_id'], unique=False)
    # Every item keeps its id (targets and tasks never share one).
    op.execute(sa.text(f"INSERT INTO target (id, {SHARED}, {TARGET_ONLY}) "
                       f"SELECT id, {SHARED}, {TARGET_ONLY} FROM plan_item WHERE kind = 'target'"))
    op.execute(sa.text(f"INSERT INTO task (id, {SHARED}, deadline_group) "
                       f"SELECT id, {SHARED}, deadline_group FROM plan_item WHERE kind = 'task'"))
    _reset_sequence('target')
    _reset_sequence('task')

    op.create_table('target_support',
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['target_id'], ['target.id'], name=op.f('fk_target_support_target_id_target'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_target_support_unit_id_unit'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('target_id', 'unit_id', name=op.f('pk_target_support'))
    )
    op.create_table('task_support',
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['task_id'], ['task.id'], name=op.f('fk_task_support_task_id_task'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_task_support_unit_id_unit'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('task_id', 'unit_id', name=op.f('pk_task_support'))
    )
    op.create_table('legal_document_target',
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['legal_document.id'], name=op.f('fk_legal_document_target_document_id_legal_document'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['target_id'], ['target.id'], name=op.f('fk_legal_document_target_target_id_target'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('document_id', 'target_id', name=op.f('pk_legal_document_target'))
    )
    op.create_table('legal_document_task',
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['legal_document.id'], name=op.f('fk_legal_document_task_document_id_legal_document'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['task_id'], ['task.id'], name=op.f('fk_legal_document_task_task_id_task'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('document_id', 'task_id', name=op.f('pk_legal_document_task'))
    )
    for kind in ("target", "task"):
        op.execute(sa.text(f"INSERT INTO {kind}_support ({kind}_id, unit_id) SELECT s.item_id, s.unit_id "
                           f"FROM item_support s JOIN plan_item i ON i.id = s.item_id WHERE i.kind = '{kind}'"))
        op.execute(sa.text(f"INSERT INTO legal_document_{kind} (document_id, {kind}_id) "
                           f"SELECT l.document_id, l.item_id FROM legal_document_item l "
                           f"JOIN plan_item i ON i.id = l.item_id WHERE i.kind = '{kind}'"))

    with op.batch_alter_table('task_target', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_task_target_target_id_plan_item'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_task_target_task_id_plan_item'), type_='foreignkey')
        batch_op.create_foreign_key('fk_task_target_task_id_task', 'task', ['task_id'], ['id'], ondelete='CASCADE')
        batch_op.create_foreign_key('fk_task_target_target_id_target', 'target', ['target_id'], ['id'], ondelete='CASCADE')

    _point_at_targets_and_tasks(
        'progress_entry', check=True, new_index='ix_progress_entry_item_current',
        indexes=(('ix_progress_entry_target_current', ['target_id', 'as_of', 'created_at', 'id']),
                 ('ix_progress_entry_task_current', ['task_id', 'as_of', 'created_at', 'id'])))
    _point_at_targets_and_tasks('directive', check=True, new_index='ix_directive_item_id',
                                indexes=(('ix_directive_target_id', ['target_id']),
                                         ('ix_directive_task_id', ['task_id'])))
    _point_at_targets_and_tasks('status_snapshot')

    op.drop_table('latest_entry')
    op.create_table('latest_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=True),
    sa.Column('task_id', sa.Integer(), nullable=True),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('last_as_of', sa.Date(), nullable=False),
    sa.CheckConstraint('(target_id IS NULL) <> (task_id IS NULL)', name=op.f('ck_latest_entry_one_item')),
    sa.ForeignKeyConstraint(['entry_id'], ['progress_entry.id'], name=op.f('fk_latest_entry_entry_id_progress_entry')),
    sa.ForeignKeyConstraint(['target_id'], ['target.id'], name=op.f('fk_latest_entry_target_id_target')),
    sa.ForeignKeyConstraint(['task_id'], ['task.id'], name=op.f('fk_latest_entry_task_id_task')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_latest_entry')),
    sa.UniqueConstraint('target_id', name=op.f('uq_latest_entry_target_id')),
    sa.UniqueConstraint('task_id', name=op.f('uq_latest_entry_task_id'))
    )
    for column in ("target_id", "task_id"):
        op.execute(sa.text(LATEST.format(column=column)))

    op.drop_table('legal_document_item')
    op.drop_table('item_support')
    with op.batch_alter_table('plan_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_item_plan_id'))
        batch_op.drop_index(batch_op.f('ix_plan_item_lead_unit_id'))
    op.drop_table('plan_item')
