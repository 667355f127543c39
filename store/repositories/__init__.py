"""Queries, one module per domain. Sessions arrive tenant-scoped (store.scoping)."""
