"""REST routes for trust."""
