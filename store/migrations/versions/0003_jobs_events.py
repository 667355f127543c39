"""jobs and domain events: the job records and the transactional outbox

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-05 12:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import store.types
from sqlalchemy.dialects import postgresql

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == 'postgresql':
        op.execute(sa.schema.CreateSequence(sa.Sequence('domain_events_sequence_seq')))
    op.create_table('sequence_counters',
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('value', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_sequence_counters'))
    )
    op.execute("INSERT INTO sequence_counters (name, value) VALUES ('domain_events', 0)")
    op.create_table('domain_events',
    sa.Column('type', sa.String(length=64), nullable=False),
    sa.Column('data', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'),
              nullable=False),
    sa.Column('occurred_at', store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('sequence', sa.BigInteger(), nullable=False),
    sa.Column('dispatched_at', store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('tenant_id', sa.String(length=36), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_domain_events_tenant_id_tenants'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_domain_events')),
    sa.UniqueConstraint('sequence', name=op.f('uq_domain_events_sequence'))
    )
    with op.batch_alter_table('domain_events', schema=None) as batch_op:
        batch_op.create_index('ix_domain_events_tenant_sequence', ['tenant_id', 'sequence'], unique=False)
        batch_op.create_index(batch_op.f('ix_domain_events_tenant_id'), ['tenant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_domain_events_type'), ['type'], unique=False)
        batch_op.create_index('ix_domain_events_undispatched', ['occurred_at'], unique=False,
                              sqlite_where=sa.text('dispatched_at IS NULL'),
                              postgresql_where=sa.text('dispatched_at IS NULL'))

    op.create_table('jobs',
    sa.Column('tenant_id', sa.String(length=36), nullable=True),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('payload', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'),
              nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('max_attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('run_at', store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('started_at', store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('finished_at', store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('lease_until', store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('handed_at', store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('dedupe_key', sa.String(length=255), nullable=True),
    sa.Column('created_at', store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_jobs_tenant_id_tenants'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_jobs')),
    sa.UniqueConstraint('dedupe_key', name=op.f('uq_jobs_dedupe_key'))
    )
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.create_index('ix_jobs_tenant_created', ['tenant_id', 'created_at'], unique=False)
        batch_op.create_index('ix_jobs_status_run_at', ['status', 'run_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_jobs_name'), ['name'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_jobs_name'))
        batch_op.drop_index('ix_jobs_status_run_at')
        batch_op.drop_index('ix_jobs_tenant_created')
    op.drop_table('jobs')
    with op.batch_alter_table('domain_events', schema=None) as batch_op:
        batch_op.drop_index('ix_domain_events_undispatched')
        batch_op.drop_index(batch_op.f('ix_domain_events_type'))
        batch_op.drop_index(batch_op.f('ix_domain_events_tenant_id'))
        batch_op.drop_index('ix_domain_events_tenant_sequence')
    op.drop_table('domain_events')
    op.drop_table('sequence_counters')
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(sa.schema.DropSequence(sa.Sequence('domain_events_sequence_seq')))
