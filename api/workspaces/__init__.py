"""Workspaces (tenants) over REST."""
