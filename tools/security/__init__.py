"""Security posture: the audit trail people read, and the security score computed from the
tenant's real setup by named rules."""
