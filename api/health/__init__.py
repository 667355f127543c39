"""Liveness and API information."""
