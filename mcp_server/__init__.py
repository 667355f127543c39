"""MCP adapter: every registered tool as an MCP tool, over stdio and streamable HTTP."""
