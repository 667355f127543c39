"""The built-in offline model: intents and slots learnt from what the registry declares."""

from agent.nlu.model import OfflineChatModel

__all__ = ["OfflineChatModel"]
