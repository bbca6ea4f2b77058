"""the plan as its document says it: who assigned each item's units, what a task produces, and entries
declared by the plan itself

``plan_item.lead_assigned_by`` and ``support_assigned_by`` say whether the units were assigned by the
plan's document ('document', quoted in ``assignment_source`` from part ``assignment_section``) or by
the commune ('commune', every existing row: seed 004 names no unit for most items). A task's
``deliverable`` says whether it produces a legal document (listed in section 1 of the report when
late) or other work; existing tasks are 'other' until the seed is loaded again. A progress entry may
have no author when the plan declares it (``origin`` 'plan'): the tasks the document says were
completed. Running ``flask seed`` again fills the new fields from the plan file.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03 16:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('plan_item', schema=None) as batch_op:
        batch_op.add_column(sa.Column('lead_assigned_by', sa.String(length=10), server_default='commune',
                                      nullable=False))
        batch_op.add_column(sa.Column('support_assigned_by', sa.String(length=10), server_default='commune',
                                      nullable=False))
        batch_op.add_column(sa.Column('assignment_source', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('assignment_section', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('deliverable', sa.String(length=20), nullable=True))
        batch_op.create_check_constraint(
            'assigned_by', "lead_assigned_by IN ('document', 'commune') "
                           "AND support_assigned_by IN ('document', 'commune')")
        batch_op.create_check_constraint(
            'deliverable', "deliverable IS NULL OR deliverable IN ('legal_document', 'other')")
    op.execute("UPDATE plan_item SET deliverable = 'other' WHERE kind = 'task'")
    with op.batch_alter_table('progress_entry', schema=None) as batch_op:
        batch_op.add_column(sa.Column('origin', sa.String(length=10), nullable=True))
        batch_op.alter_column('author_id', existing_type=sa.Integer(), nullable=True)
        batch_op.create_check_constraint('author_or_plan', "author_id IS NOT NULL OR origin = 'plan'")


def downgrade():
    # Entries the plan declared have no author to keep: they go with the column that allows them.
    op.execute("DELETE FROM latest_entry WHERE entry_id IN "
               "(SELECT id FROM progress_entry WHERE author_id IS NULL)")
    op.execute("DELETE FROM progress_entry WHERE author_id IS NULL")
    with op.batch_alter_table('progress_entry', schema=None) as batch_op:
        batch_op.drop_constraint('author_or_plan', type_='check')
        batch_op.alter_column('author_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column('origin')
    with op.batch_alter_table('plan_item', schema=None) as batch_op:
        batch_op.drop_constraint('deliverable', type_='check')
        batch_op.drop_constraint('assigned_by', type_='check')
        batch_op.drop_column('deliverable')
        batch_op.drop_column('assignment_section')
        batch_op.drop_column('assignment_source')
        batch_op.drop_column('support_assigned_by')
        batch_op.drop_column('lead_assigned_by')
