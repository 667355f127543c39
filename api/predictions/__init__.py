"""Predictive analytics and forecast routes (documents 000, 001, 003, 004)."""
