"""connectors, sync runs, source records (lineage), products, invoices, subscriptions, quality snapshots, trust incidents

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05 05:55:43.655052
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import store.types

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('connections',
    sa.Column('type', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('display_name', sa.String(length=200), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('config', store.types.JSONType, nullable=False),
    sa.Column('credentials_encrypted', sa.Text(), nullable=True),
    sa.Column('credentials_hint', sa.String(length=40), nullable=True),
    sa.Column('credentials_rotated_at', store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('account', store.types.JSONType, nullable=False),
    sa.Column('cursors', store.types.JSONType, nullable=False),
    sa.Column('record_counts', store.types.JSONType, nullable=False),
    sa.Column('last_sync_at', store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_sync_status', sa.String(length=20), nullable=True),
    sa.Column('last_error', sa.String(length=1000), nullable=True),
    sa.Column('created_by', sa.String(length=36), nullable=True),
    sa.Column('disconnected_at', store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('tenant_id', sa.String(length=36), nullable=False),
    sa.Column('created_at', store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', store.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_connections_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_connections'))
    )
    with op.batch_alter_table('connections', schema=None) as batch_op:
        batch_op.create_index('ix_connections_tenant_created', ['tenant_id', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_connections_tenant_id'), ['tenant_id'], unique=False)
        batch_op.create_index('ix_connections_tenant_type', ['tenant_id', 'type'], unique=False)

    op.create_table('products',
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('sku', sa.String(length=100), nullable=True),
    sa.Column('price', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('source', sa.String(length=40), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('tenant_id', sa.String(length=36), nullable=False),
    sa.Column('created_at', store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', store.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_products_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_products'))
    )
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.create_index('ix_products_tenant_created', ['tenant_id', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_products_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('quality_snapshots',
    sa.Column('source', sa.String(length=100), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('overall', sa.Float(), nullable=False),
    sa.Column('dimensions', store.types.JSONType, nullable=False),
    sa.Column('records', sa.Integer(), nullable=False),
    sa.Column('computed_at', store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('tenant_id', sa.String(length=36), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_quality_snapshots_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quality_snapshots')),
    sa.UniqueConstraint('tenant_id', 'source', 'day', name='uq_quality_snapshots_tenant_source_day')
    )
    with op.batch_alter_table('quality_snapshots', schema=None) as batch_op:
        batch_op.create_index('ix_quality_snapshots_tenant_day', ['tenant_id', 'day'], unique=False)
        batch_op.create_index(batch_op.f('ix_quality_snapshots_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('invoices',
    sa.Column('customer_id', sa.String(length=36), nullable=True),
    sa.Column('number', sa.String(length=100), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('amount_due', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('amount_paid', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('issued_at', store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('source', sa.String(length=40), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('tenant_id', sa.String(length=36), nullable=False),
    sa.Column('created_at', store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', store.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_invoices_customer_id_customers'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_invoices_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invoices'))
    )
    with op.batch_alter_table('invoices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_invoices_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_invoices_tenant_id'), ['tenant_id'], unique=False)
        batch_op.create_index('ix_invoices_tenant_issued', ['tenant_id', 'issued_at'], unique=False)
        batch_op.create_index('ix_invoices_tenant_status_due', ['tenant_id', 'status', 'due_date'], unique=False)

    op.create_table('source_records',
    sa.Column('connection_id', sa.String(length=36), nullable=False),
    sa.Column('connector', sa.String(length=40), nullable=False),
    sa.Column('resource', sa.String(length=40), nullable=False),
    sa.Column('source_id', sa.String(length=200), nullable=False),
    sa.Column('entity_type', sa.String(length=20), nullable=False),
    sa.Column('entity_id', sa.String(length=36), nullable=True),
    sa.Column('values', store.types.JSONType, nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('merged_by', sa.String(length=40), nullable=True),
    sa.Column('merge_confidence', sa.Float(), nullable=True),
    sa.Column('source_updated_at', store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('first_seen_at', store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_synced_at', store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('sync_run_id', sa.String(length=36), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('tenant_id', sa.String(length=36), nullable=False),
    sa.ForeignKeyConstraint(['connection_id'], ['connections.id'], name=op.f('fk_source_records_connection_id_connections'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_source_records_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_source_records')),
    sa.UniqueConstraint('connection_id', 'resource', 'source_id', name='uq_source_records_connection_resource_source')
    )
    with op.batch_alter_table('source_records', schema=None) as batch_op:
        batch_op.create_index('ix_source_records_tenant_connection_synced', ['tenant_id', 'connection_id', 'last_synced_at'], unique=False)
        batch_op.create_index('ix_source_records_tenant_entity', ['tenant_id', 'entity_type', 'entity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_source_records_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('subscriptions',
    sa.Column('customer_id', sa.String(length=36), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('plan', sa.String(length=200), nullable=True),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('interval', sa.String(length=20), nullable=True),
    sa.Column('current_period_end', store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('started_at', store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('source', sa.String(length=40), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('tenant_id', sa.String(length=36), nullable=False),
    sa.Column('created_at', store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', store.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_subscriptions_customer_id_customers'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_subscriptions_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_subscriptions'))
    )
    with op.batch_alter_table('subscriptions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_subscriptions_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index('ix_subscriptions_tenant_created', ['tenant_id', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_subscriptions_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('sync_runs',
    sa.Column('connection_id', sa.String(length=36), nullable=False),
    sa.Column('job_id', sa.String(length=36), nullable=True),
    sa.Column('trigger', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('full', sa.Boolean(), nullable=False),
    sa.Column('resource', sa.String(length=40), nullable=True),
    sa.Column('pages', sa.Integer(), nullable=False),
    sa.Column('counts', store.types.JSONType, nullable=False),
    sa.Column('null_share', store.types.JSONType, nullable=False),
    sa.Column('error', sa.String(length=1000), nullable=True),
    sa.Column('started_at', store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('finished_at', store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('tenant_id', sa.String(length=36), nullable=False),
    sa.ForeignKeyConstraint(['connection_id'], ['connections.id'], name=op.f('fk_sync_runs_connection_id_connections'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_sync_runs_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_runs'))
    )
    with op.batch_alter_table('sync_runs', schema=None) as batch_op:
        batch_op.create_index('ix_sync_runs_tenant_connection_started', ['tenant_id', 'connection_id', 'started_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_sync_runs_tenant_id'), ['tenant_id'], unique=False)
        batch_op.create_index('ix_sync_runs_tenant_started', ['tenant_id', 'started_at'], unique=False)

    op.create_table('trust_incidents',
    sa.Column('connection_id', sa.String(length=36), nullable=True),
    sa.Column('platform', sa.String(length=100), nullable=False),
    sa.Column('signal', sa.String(length=40), nullable=False),
    sa.Column('severity', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('details', store.types.JSONType, nullable=False),
    sa.Column('opened_at', store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('resolved_at', store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('tenant_id', sa.String(length=36), nullable=False),
    sa.ForeignKeyConstraint(['connection_id'], ['connections.id'], name=op.f('fk_trust_incidents_connection_id_connections'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_trust_incidents_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_trust_incidents'))
    )
    with op.batch_alter_table('trust_incidents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_trust_incidents_tenant_id'), ['tenant_id'], unique=False)
        batch_op.create_index('ix_trust_incidents_tenant_opened', ['tenant_id', 'opened_at'], unique=False)
        batch_op.create_index('ix_trust_incidents_tenant_status_opened', ['tenant_id', 'status', 'opened_at'], unique=False)
        batch_op.create_index('ix_trust_incidents_tenant_connection_signal', ['tenant_id', 'connection_id', 'signal'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('trust_incidents', schema=None) as batch_op:
        batch_op.drop_index('ix_trust_incidents_tenant_connection_signal')
        batch_op.drop_index('ix_trust_incidents_tenant_status_opened')
        batch_op.drop_index('ix_trust_incidents_tenant_opened')
        batch_op.drop_index(batch_op.f('ix_trust_incidents_tenant_id'))

    op.drop_table('trust_incidents')
    with op.batch_alter_table('sync_runs', schema=None) as batch_op:
        batch_op.drop_index('ix_sync_runs_tenant_started')
        batch_op.drop_index(batch_op.f('ix_sync_runs_tenant_id'))
        batch_op.drop_index('ix_sync_runs_tenant_connection_started')

    op.drop_table('sync_runs')
    with op.batch_alter_table('subscriptions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_subscriptions_tenant_id'))
        batch_op.drop_index('ix_subscriptions_tenant_created')
        batch_op.drop_index(batch_op.f('ix_subscriptions_customer_id'))

    op.drop_table('subscriptions')
    with op.batch_alter_table('source_records', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_source_records_tenant_id'))
        batch_op.drop_index('ix_source_records_tenant_entity')
        batch_op.drop_index('ix_source_records_tenant_connection_synced')

    op.drop_table('source_records')
    with op.batch_alter_table('invoices', schema=None) as batch_op:
        batch_op.drop_index('ix_invoices_tenant_status_due')
        batch_op.drop_index('ix_invoices_tenant_issued')
        batch_op.drop_index(batch_op.f('ix_invoices_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_invoices_customer_id'))

    op.drop_table('invoices')
    with op.batch_alter_table('quality_snapshots', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_quality_snapshots_tenant_id'))
        batch_op.drop_index('ix_quality_snapshots_tenant_day')

    op.drop_table('quality_snapshots')
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_products_tenant_id'))
        batch_op.drop_index('ix_products_tenant_created')

    op.drop_table('products')
    with op.batch_alter_table('connections', schema=None) as batch_op:
        batch_op.drop_index('ix_connections_tenant_type')
        batch_op.drop_index(batch_op.f('ix_connections_tenant_id'))
        batch_op.drop_index('ix_connections_tenant_created')

    op.drop_table('connections')
