"""deals: indexes matching the deal list's tenant filter and its orders (newest first, by
expected close date)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-05 04:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('deals', schema=None) as batch_op:
        batch_op.create_index('ix_deals_tenant_created', ['tenant_id', 'created_at'], unique=False)
        batch_op.create_index('ix_deals_tenant_close', ['tenant_id', 'expected_close_date'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('deals', schema=None) as batch_op:
        batch_op.drop_index('ix_deals_tenant_close')
        batch_op.drop_index('ix_deals_tenant_created')
