"""Document 000's action hub: the causal simulator and the initiative planner."""
