"""directive due date

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 16:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    # Nullable: the directives written before have no due date, and a leader may give none.
    with op.batch_alter_table('directive', schema=None) as batch_op:
        batch_op.add_column(sa.Column('due_date', sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table('directive', schema=None) as batch_op:
        batch_op.drop_column('due_date')
