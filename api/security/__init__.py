"""REST routes for the security posture: score, team, audit trail."""
