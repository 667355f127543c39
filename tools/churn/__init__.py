"""Churn risk: features, the per-tenant model, and the tools that serve it."""
