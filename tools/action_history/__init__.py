"""What the action hub did: simulations, initiative analyses, automation runs and approvals."""
