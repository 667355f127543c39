"""Predictions: forecasting templates, prediction jobs and the forecast tools over the engine."""
