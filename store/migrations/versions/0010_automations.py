"""automations, runs, email outbox

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05 09:15:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import store.types

revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _tenant(table: str) -> list[sa.SchemaItem]:
    return [
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('tenant_id', sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f(f'fk_{table}_tenant_id_tenants'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f(f'pk_{table}')),
    ]


def _when(name: str, nullable: bool = False) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, store.types.UTCDateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table('automations',
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('trigger', store.types.JSONType, nullable=False),
    sa.Column('actions', store.types.JSONType, nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('origin', sa.String(length=20), nullable=False),
    sa.Column('created_by', sa.String(length=36), nullable=True),
    _when('next_run_at', True),
    _when('last_run_at', True),
    sa.Column('run_count', sa.Integer(), nullable=False),
    _when('created_at'),
    _when('updated_at'),
    *_tenant('automations'),
    )
    with op.batch_alter_table('automations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_automations_tenant_id'), ['tenant_id'], unique=False)
        batch_op.create_index('ix_automations_tenant_created', ['tenant_id', 'created_at'], unique=False)
        batch_op.create_index('ix_automations_tenant_kind_status', ['tenant_id', 'kind', 'status'],
                              unique=False)
        batch_op.create_index('ix_automations_kind_status_next', ['kind', 'status', 'next_run_at'],
                              unique=False)

    op.create_table('automation_runs',
    sa.Column('automation_id', sa.String(length=36), nullable=False),
    sa.Column('automation_name', sa.String(length=200), nullable=False),
    sa.Column('trigger_key', sa.String(length=120), nullable=False),
    sa.Column('trigger', store.types.JSONType, nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('steps_total', sa.Integer(), nullable=False),
    sa.Column('outcomes', store.types.JSONType, nullable=False),
    _when('started_at'),
    _when('finished_at', True),
    sa.ForeignKeyConstraint(['automation_id'], ['automations.id'],
                            name=op.f('fk_automation_runs_automation_id_automations'), ondelete='CASCADE'),
    sa.UniqueConstraint('automation_id', 'trigger_key', name='uq_automation_runs_trigger'),
    *_tenant('automation_runs'),
    )
    with op.batch_alter_table('automation_runs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_automation_runs_tenant_id'), ['tenant_id'], unique=False)
        batch_op.create_index('ix_automation_runs_tenant_started', ['tenant_id', 'started_at'], unique=False)
        batch_op.create_index('ix_automation_runs_automation_started', ['automation_id', 'started_at'],
                              unique=False)

    op.create_table('email_outbox',
    sa.Column('to_address', sa.String(length=320), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('body_text', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('transport', sa.String(length=20), nullable=False),
    sa.Column('customer_id', sa.String(length=36), nullable=True),
    sa.Column('automation_id', sa.String(length=36), nullable=True),
    sa.Column('run_id', sa.String(length=36), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    _when('created_at'),
    _when('sent_at', True),
    *_tenant('email_outbox'),
    )
    with op.batch_alter_table('email_outbox', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_email_outbox_tenant_id'), ['tenant_id'], unique=False)
        batch_op.create_index('ix_email_outbox_tenant_created', ['tenant_id', 'created_at'], unique=False)
        batch_op.create_index('ix_email_outbox_tenant_status_created', ['tenant_id', 'status', 'created_at'],
                              unique=False)

    op.create_table('tasks',
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('customer_id', sa.String(length=36), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('automation_id', sa.String(length=36), nullable=True),
    sa.Column('run_id', sa.String(length=36), nullable=True),
    _when('created_at'),
    _when('updated_at'),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_tasks_customer_id_customers'),
                            ondelete='SET NULL'),
    *_tenant('tasks'),
    )
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tasks_tenant_id'), ['tenant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_tasks_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index('ix_tasks_tenant_created', ['tenant_id', 'created_at'], unique=False)
        batch_op.create_index('ix_tasks_tenant_status_due', ['tenant_id', 'status', 'due_date'], unique=False)


def downgrade() -> None:
    for table in ('tasks', 'email_outbox', 'automation_runs', 'automations'):
        op.drop_table(table)
