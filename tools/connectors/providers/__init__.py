"""Importing this package registers every connector type (tools.connectors.base.register)."""
