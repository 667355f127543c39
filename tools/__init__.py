"""Capabilities: typed functions over one tenant's data, registered once and served by every
adapter (REST, MCP, agent). Nothing here imports api/, agent/ or mcp_server/."""
