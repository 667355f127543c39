"""The initiative planner: ROI, payback, NPV and a risk range from the business's own revenue volatility."""
