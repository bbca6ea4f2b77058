"""api token expiry

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 08:20:00.000000

"""
from datetime import UTC, datetime, timedelta

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

# Tokens made before tokens expired get the default lifetime from the day of the upgrade, so no
# integration stops at once and none runs for ever.
DEFAULT_TOKEN_DAYS = 365


def upgrade():
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.add_column(sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True))
    api_token = sa.table('api_token', sa.column('expires_at', sa.DateTime(timezone=True)))
    op.execute(api_token.update().where(api_token.c.expires_at.is_(None)).values(
        expires_at=datetime.now(UTC) + timedelta(days=DEFAULT_TOKEN_DAYS)))
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.alter_column('expires_at', existing_type=sa.DateTime(timezone=True), nullable=False)


def downgrade():
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.drop_column('expires_at')
