"""REST routes for connectors."""
