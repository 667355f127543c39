"""Insights: named rules over the tenant's data, stored findings, and the tools that serve them."""
