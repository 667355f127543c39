"""The assistant over HTTP: the OpenAI-compatible /v1 API and the assistant endpoints of the
/api and /api/v1 families, all served by the same agent (see `service`)."""
