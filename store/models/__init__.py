"""All ORM models; importing this package registers every table on `Base.metadata`."""

from store.models.action_hub import DailyMetric, Initiative, Simulation
from store.models.audit import AuditLog, ConversationAlias, IdempotencyRecord, SecurityIssue
from store.models.automations import Automation, AutomationRun, EmailOutbox, Task
from store.models.base import Base, TenantOwned
from store.models.connectors import Connection, Invoice, Product, SourceRecord, Subscription, SyncRun
from store.models.crm import Customer, Deal, Order
from store.models.events import DomainEvent, JobRecord, SequenceCounter
from store.models.identity import (
    ApiKey,
    Membership,
    MfaBackupCode,
    MfaChallenge,
    RefreshToken,
    Tenant,
    User,
)
from store.models.lineage import QualitySnapshot, TrustIncident
from store.models.predictions import Insight, ModelRun, Prediction
from store.models.webhooks import Webhook, WebhookAttempt, WebhookDelivery

__all__ = [
    "ApiKey",
    "AuditLog",
    "Automation",
    "AutomationRun",
    "Base",
    "Connection",
    "ConversationAlias",
    "Customer",
    "DailyMetric",
    "Deal",
    "DomainEvent",
    "EmailOutbox",
    "IdempotencyRecord",
    "Initiative",
    "Insight",
    "Invoice",
    "JobRecord",
    "Membership",
    "MfaBackupCode",
    "MfaChallenge",
    "ModelRun",
    "Order",
    "Prediction",
    "Product",
    "QualitySnapshot",
    "RefreshToken",
    "SecurityIssue",
    "SequenceCounter",
    "Simulation",
    "SourceRecord",
    "Subscription",
    "SyncRun",
    "Task",
    "Tenant",
    "TenantOwned",
    "TrustIncident",
    "User",
    "Webhook",
    "WebhookAttempt",
    "WebhookDelivery",
]
