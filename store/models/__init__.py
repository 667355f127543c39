"""All ORM models; importing this package registers every table on `Base.metadata`."""

from store.models.audit import AuditLog, ConversationAlias, IdempotencyRecord, SecurityIssue
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
    "Base",
    "Connection",
    "ConversationAlias",
    "Customer",
    "Deal",
    "DomainEvent",
    "IdempotencyRecord",
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
    "SourceRecord",
    "Subscription",
    "SyncRun",
    "Tenant",
    "TenantOwned",
    "TrustIncident",
    "User",
    "Webhook",
    "WebhookAttempt",
    "WebhookDelivery",
]
