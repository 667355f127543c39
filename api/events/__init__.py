"""Document 004's WebSocket at /ws: a workspace's domain events, live and resumable."""
