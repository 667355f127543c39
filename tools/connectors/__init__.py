"""Connectors: the business's outside systems (Shopify, Stripe, HubSpot, any REST API) behind one
interface (`tools.connectors.base.Connector`), synced as durable jobs into the tenant's records
with the lineage of every field."""
