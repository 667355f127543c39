"""Persistence: SQLAlchemy models, sessions, tenant scoping, migrations and demo data.

Imports nothing from tools/, api/, agent/ or mcp_server/.
"""
