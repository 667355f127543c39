"""simulations, initiatives, daily metrics

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05 09:15:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import store.types

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('daily_metrics',
    sa.Column('metric', sa.String(length=60), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('source', sa.String(length=40), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('tenant_id', sa.String(length=36), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_daily_metrics_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_daily_metrics'))
    )
    with op.batch_alter_table('daily_metrics', schema=None) as batch_op:
        batch_op.create_index('ix_daily_metrics_tenant_metric_day', ['tenant_id', 'metric', 'day'], unique=True)
        batch_op.create_index(batch_op.f('ix_daily_metrics_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('simulations',
    sa.Column('metric_id', sa.String(length=60), nullable=False),
    sa.Column('change_percent', sa.Float(), nullable=False),
    sa.Column('time_horizon', sa.Integer(), nullable=False),
    sa.Column('result', store.types.JSONType, nullable=False),
    sa.Column('created_by', sa.String(length=36), nullable=True),
    sa.Column('created_at', store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('tenant_id', sa.String(length=36), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_simulations_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_simulations'))
    )
    with op.batch_alter_table('simulations', schema=None) as batch_op:
        batch_op.create_index('ix_simulations_tenant_created', ['tenant_id', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_simulations_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('initiatives',
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('investment', sa.Float(), nullable=False),
    sa.Column('expected_revenue', sa.Float(), nullable=False),
    sa.Column('timeline', sa.String(length=40), nullable=False),
    sa.Column('discount_rate', sa.Float(), nullable=False),
    sa.Column('result', store.types.JSONType, nullable=False),
    sa.Column('created_by', sa.String(length=36), nullable=True),
    sa.Column('created_at', store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('tenant_id', sa.String(length=36), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_initiatives_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_initiatives'))
    )
    with op.batch_alter_table('initiatives', schema=None) as batch_op:
        batch_op.create_index('ix_initiatives_tenant_created', ['tenant_id', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_initiatives_tenant_id'), ['tenant_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('initiatives', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_initiatives_tenant_id'))
        batch_op.drop_index('ix_initiatives_tenant_created')

    op.drop_table('initiatives')
    with op.batch_alter_table('simulations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_simulations_tenant_id'))
        batch_op.drop_index('ix_simulations_tenant_created')

    op.drop_table('simulations')
    with op.batch_alter_table('daily_metrics', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_daily_metrics_tenant_id'))
        batch_op.drop_index('ix_daily_metrics_tenant_metric_day')

    op.drop_table('daily_metrics')
