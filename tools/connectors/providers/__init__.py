"""Importing this package registers every connector type (tools.connectors.base.register)."""

from tools.connectors.providers import custom_rest, hubspot, shopify, stripe

__all__ = ["custom_rest", "hubspot", "shopify", "stripe"]
