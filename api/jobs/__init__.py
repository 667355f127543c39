"""Background job status: /api/jobs (envelope) and /api/v1/jobs (raw)."""
