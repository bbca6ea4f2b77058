"""provinces above communes; province-level users

The free-text ``commune.province`` becomes a foreign key to the new ``province`` table: one
province row per distinct name found, its code folded from the name. ``user.commune_id``
becomes nullable and ``user.province_id`` is added: a user belongs to exactly one of the two.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 17:20:00

"""
import re
import unicodedata

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def _code(name: str, taken: set[str]) -> str:
    # A frozen copy of tracker.domain.seed_file.code_from_name: migrations never import the app.
    folded = unicodedata.normalize("NFD", name.casefold().replace("đ", "d"))
    plain = "".join(c for c in folded if not unicodedata.combining(c))
    base = re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:36] or "tinh"
    code, n = base, 1
    while code in taken:
        n += 1
        code = f"{base}-{n}"
    taken.add(code)
    return code


def upgrade():
    op.create_table('province',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_province')),
    sa.UniqueConstraint('code', name=op.f('uq_province_code')),
    sa.UniqueConstraint('name', name=op.f('uq_province_name'))
    )
    with op.batch_alter_table('commune', schema=None) as batch_op:
        batch_op.add_column(sa.Column('province_id', sa.Integer(), nullable=True))

    # Data: one province per distinct name, then point every commune at its province.
    conn = op.get_bind()
    province = sa.table('province', sa.column('id', sa.Integer), sa.column('code', sa.String),
                        sa.column('name', sa.String))
    names = sorted(name for (name,) in conn.execute(sa.text("SELECT DISTINCT province FROM commune")))
    taken: set[str] = set()
    if names:
        conn.execute(sa.insert(province), [{"code": _code(n, taken), "name": n} for n in names])
    conn.execute(sa.text("UPDATE commune SET province_id = "
                         "(SELECT province.id FROM province WHERE province.name = commune.province)"))

    with op.batch_alter_table('commune', schema=None) as batch_op:
        batch_op.alter_column('province_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_index(batch_op.f('ix_commune_province_id'), ['province_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_commune_province_id_province'), 'province',
                                    ['province_id'], ['id'])
        batch_op.drop_column('province')

    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('province_id', sa.Integer(), nullable=True))
        batch_op.alter_column('commune_id', existing_type=sa.Integer(), nullable=True)
        batch_op.create_index(batch_op.f('ix_user_province_id'), ['province_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_user_province_id_province'), 'province',
                                    ['province_id'], ['id'])
        batch_op.create_check_constraint(op.f('ck_user_one_scope'), '(commune_id IS NULL) <> (province_id IS NULL)')


def downgrade():
    conn = op.get_bind()
    if conn.execute(sa.text("SELECT COUNT(*) FROM \"user\" WHERE province_id IS NOT NULL")).scalar():
        raise RuntimeError("province-level users exist: delete or move them before downgrading below 0005")
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_user_one_scope'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_user_province_id_province'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_user_province_id'))
        batch_op.alter_column('commune_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column('province_id')

    with op.batch_alter_table('commune', schema=None) as batch_op:
        batch_op.add_column(sa.Column('province', sa.String(length=200), nullable=True))
    conn.execute(sa.text("UPDATE commune SET province = "
                         "(SELECT province.name FROM province WHERE province.id = commune.province_id)"))
    with op.batch_alter_table('commune', schema=None) as batch_op:
        batch_op.alter_column('province', existing_type=sa.String(length=200), nullable=False)
        batch_op.drop_constraint(batch_op.f('fk_commune_province_id_province'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_commune_province_id'))
        batch_op.drop_column('province_id')
    op.drop_table('province')
