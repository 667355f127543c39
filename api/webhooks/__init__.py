"""Webhook routes: /api/webhooks (000), /api/admin/webhooks (002, admins), /api/v1/webhooks (004)."""
