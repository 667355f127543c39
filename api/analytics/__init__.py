"""Business analytics over REST: dashboard, revenue for a period, revenue over time, top customers."""
