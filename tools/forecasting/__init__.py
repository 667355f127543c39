"""Forecasting: metric series from the tenant's data, statsmodels candidates chosen by a
rolling-origin backtest, intervals calibrated on the backtest's errors."""
