"""The `bizpilot` console script."""
