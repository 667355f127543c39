"""predictions, insights, model runs

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05 06:52:35.264172
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import store.types

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('insights',
    sa.Column('type', sa.String(length=40), nullable=False),
    sa.Column('priority', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('data', store.types.JSONType, nullable=False),
    sa.Column('rule', sa.String(length=60), nullable=True),
    sa.Column('fingerprint', sa.String(length=100), nullable=True),
    sa.Column('created_by', sa.String(length=36), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('tenant_id', sa.String(length=36), nullable=False),
    sa.Column('created_at', store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', store.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_insights_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_insights'))
    )
    with op.batch_alter_table('insights', schema=None) as batch_op:
        batch_op.create_index('ix_insights_tenant_created', ['tenant_id', 'created_at'], unique=False)
        batch_op.create_index('ix_insights_tenant_fingerprint', ['tenant_id', 'fingerprint'], unique=False)
        batch_op.create_index(batch_op.f('ix_insights_tenant_id'), ['tenant_id'], unique=False)
        batch_op.create_index('ix_insights_tenant_status_created', ['tenant_id', 'status', 'created_at'], unique=False)

    op.create_table('model_runs',
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('template_id', sa.String(length=60), nullable=True),
    sa.Column('data_hash', sa.String(length=64), nullable=True),
    sa.Column('metrics', store.types.JSONType, nullable=False),
    sa.Column('parameters', store.types.JSONType, nullable=False),
    sa.Column('created_at', store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('tenant_id', sa.String(length=36), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_model_runs_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_model_runs'))
    )
    with op.batch_alter_table('model_runs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_model_runs_tenant_id'), ['tenant_id'], unique=False)
        batch_op.create_index('ix_model_runs_tenant_kind_created', ['tenant_id', 'kind', 'created_at'], unique=False)

    op.create_table('predictions',
    sa.Column('template_id', sa.String(length=60), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('parameters', store.types.JSONType, nullable=False),
    sa.Column('data_source_ids', store.types.JSONType, nullable=False),
    sa.Column('job_id', sa.String(length=36), nullable=True),
    sa.Column('result', store.types.JSONType, nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('created_by', sa.String(length=36), nullable=True),
    sa.Column('estimated_completion_at', store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('completed_at', store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('tenant_id', sa.String(length=36), nullable=False),
    sa.Column('created_at', store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', store.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_predictions_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_predictions'))
    )
    with op.batch_alter_table('predictions', schema=None) as batch_op:
        batch_op.create_index('ix_predictions_tenant_created', ['tenant_id', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_predictions_tenant_id'), ['tenant_id'], unique=False)
        batch_op.create_index('ix_predictions_tenant_template_created', ['tenant_id', 'template_id', 'created_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('predictions', schema=None) as batch_op:
        batch_op.drop_index('ix_predictions_tenant_template_created')
        batch_op.drop_index(batch_op.f('ix_predictions_tenant_id'))
        batch_op.drop_index('ix_predictions_tenant_created')

    op.drop_table('predictions')
    with op.batch_alter_table('model_runs', schema=None) as batch_op:
        batch_op.drop_index('ix_model_runs_tenant_kind_created')
        batch_op.drop_index(batch_op.f('ix_model_runs_tenant_id'))

    op.drop_table('model_runs')
    with op.batch_alter_table('insights', schema=None) as batch_op:
        batch_op.drop_index('ix_insights_tenant_status_created')
        batch_op.drop_index(batch_op.f('ix_insights_tenant_id'))
        batch_op.drop_index('ix_insights_tenant_fingerprint')
        batch_op.drop_index('ix_insights_tenant_created')

    op.drop_table('insights')
