"""Webhooks: signed, retried, logged deliveries of domain events to tenants' URLs."""
