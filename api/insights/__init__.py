"""Insights over REST: document 001 generate, 004 create/list/patch, 000 hub overview, 001 churn."""
