"""REST routes for lineage."""
