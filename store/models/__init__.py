"""All ORM models; importing this package registers every table on `Base.metadata`."""

from store.models.audit import AuditLog, ConversationAlias, IdempotencyRecord
from store.models.base import Base, TenantOwned
from store.models.crm import Customer, Deal, Order
from store.models.events import DomainEvent, JobRecord, SequenceCounter
from store.models.identity import ApiKey, Membership, RefreshToken, Tenant, User
from store.models.webhooks import Webhook, WebhookAttempt, WebhookDelivery

__all__ = [
    "ApiKey",
    "AuditLog",
    "Base",
    "ConversationAlias",
    "Customer",
    "Deal",
    "DomainEvent",
    "IdempotencyRecord",
    "JobRecord",
    "Membership",
    "Order",
    "RefreshToken",
    "SequenceCounter",
    "Tenant",
    "TenantOwned",
    "User",
    "Webhook",
    "WebhookAttempt",
    "WebhookDelivery",
]
