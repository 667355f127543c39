"""The built-in offline model: a deterministic router used when no LLM provider is configured."""

from agent.offline.model import OfflineChatModel

__all__ = ["OfflineChatModel"]
