"""HTTP adapter: FastAPI routers that authenticate, call tools through tools.runtime, and shape
responses as the five API documents do. No capability logic lives here."""
