"""signed submissions (ký số): the report copies issued for signing and the signed files received

``issued_report`` keeps the SHA-256 and length of each report PDF given out to be signed (with the
period's version then); ``signed_report`` each signed PDF that passed the checks, with its signer,
signing time and the check's findings. The files themselves are under ``UPLOAD_DIR/signed``.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-03 19:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'issued_report',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('period_id', sa.Integer(), nullable=False),
        sa.Column('period_version', sa.Integer(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('issued_by_id', sa.Integer(), nullable=False),
        sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['issued_by_id'], ['user.id'], name=op.f('fk_issued_report_issued_by_id_user')),
        sa.ForeignKeyConstraint(['period_id'], ['reporting_period.id'],
                                name=op.f('fk_issued_report_period_id_reporting_period')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_issued_report')),
    )
    with op.batch_alter_table('issued_report', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_issued_report_period_id'), ['period_id'], unique=False)
    op.create_table(
        'signed_report',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('period_id', sa.Integer(), nullable=False),
        sa.Column('period_version', sa.Integer(), nullable=False),
        sa.Column('issued_id', sa.Integer(), nullable=False),
        sa.Column('original_name', sa.String(length=255), nullable=False),
        sa.Column('stored_name', sa.String(length=64), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('signer_name', sa.String(length=255), nullable=False),
        sa.Column('signer_organisation', sa.String(length=255), nullable=True),
        sa.Column('signed_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('validation', sa.JSON(), nullable=False),
        sa.Column('uploaded_by_id', sa.Integer(), nullable=False),
        sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['issued_id'], ['issued_report.id'],
                                name=op.f('fk_signed_report_issued_id_issued_report')),
        sa.ForeignKeyConstraint(['period_id'], ['reporting_period.id'],
                                name=op.f('fk_signed_report_period_id_reporting_period')),
        sa.ForeignKeyConstraint(['uploaded_by_id'], ['user.id'], name=op.f('fk_signed_report_uploaded_by_id_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_signed_report')),
        sa.UniqueConstraint('stored_name', name=op.f('uq_signed_report_stored_name')),
    )
    with op.batch_alter_table('signed_report', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_signed_report_period_id'), ['period_id'], unique=False)


def downgrade():
    with op.batch_alter_table('signed_report', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_signed_report_period_id'))
    op.drop_table('signed_report')
    with op.batch_alter_table('issued_report', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_issued_report_period_id'))
    op.drop_table('issued_report')
