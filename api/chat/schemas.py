"""Request bodies of the chat endpoints: OpenAI's chat completions (/v1 and document 002's
/api/mcp variant), document 000's AI query and document 004's chat.

Sampling parameters (temperature, max tokens, top_p, ...) are accepted so that existing clients
work unchanged; the agent's configured provider decides how it samples, and the client's own
`tools` are not run: the agent calls BizPilot's tools itself.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from fastapi import Header
from pydantic import BaseModel, ConfigDict, Field, field_validator

CONVERSATION_ID = r"^[A-Za-z0-9_.:-]{1,128}$"
CONVERSATION_HEADER = "X-Conversation-Id"
ConversationHeader = Annotated[
    str | None,
    Header(alias=CONVERSATION_HEADER, pattern=CONVERSATION_ID,
           description="Continue this conversation (returned on every answer)."),
]
MAX_TEXT = 32_000


class _Body(BaseModel):
    model_config = ConfigDict(extra="ignore")


class ContentPart(BaseModel):
    """One part of a multi-part message; only text parts carry anything the agent reads."""

    model_config = ConfigDict(extra="allow")

    type: str = Field(..., max_length=40)
    text: str | None = Field(None, max_length=MAX_TEXT)


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="allow")

    role: Literal["system", "developer", "user", "assistant", "tool", "function"]
    content: Annotated[str, Field(max_length=MAX_TEXT)] | list[ContentPart] | None = None
    name: str | None = Field(None, max_length=200)

    def text(self) -> str:
        """The message's text: a string as is, or its text parts joined (images are skipped)."""
        if isinstance(self.content, str):
            return self.content
        parts = [p.text for p in self.content or [] if p.type in ("text", "input_text") and p.text]
        return "\n".join(parts)


def check_messages(messages: list[ChatMessage]) -> list[ChatMessage]:
    """The agent answers the user, so the transcript must end with a user message that has text:
    a request ending with an assistant or tool message asks for something the agent cannot do."""
    if not messages:
        raise ValueError("messages must contain at least one message")
    last = messages[-1]
    if last.role != "user":
        raise ValueError(f"the last message must have role 'user', not '{last.role}'")
    if not last.text().strip():
        raise ValueError("the last user message has no text content")
    return messages


class StreamOptions(_Body):
    include_usage: bool | None = False


class ChatCompletionRequest(_Body):
    """OpenAI's chat completion request. The conversation to continue comes from the
    `X-Conversation-Id` header, `conversation_id` or `metadata.conversation_id` (in that order),
    else from the transcript itself; `user` is an end-user tag, never a conversation id."""

    model: str | None = Field(None, max_length=200)
    messages: list[ChatMessage] = Field(..., max_length=1000)
    stream: bool | None = False
    stream_options: StreamOptions | None = None
    n: int | None = Field(None, ge=1, le=1, description="Only one choice is generated.")
    temperature: float | None = Field(None, ge=0, le=2)
    top_p: float | None = Field(None, ge=0, le=1)
    max_tokens: int | None = Field(None, ge=1)
    max_completion_tokens: int | None = Field(None, ge=1)
    user: str | None = Field(None, max_length=256)
    metadata: dict[str, Any] | None = None
    conversation_id: str | None = Field(None, pattern=CONVERSATION_ID)

    last_is_user = field_validator("messages")(check_messages)

    @field_validator("metadata")
    @classmethod
    def _metadata_conversation(cls, value: dict[str, Any] | None) -> dict[str, Any] | None:
        if value and (len(value) > 16 or any(len(str(k)) > 64 or not isinstance(v, str) or len(v) > 512
                                             for k, v in value.items())):
            raise ValueError("metadata: at most 16 string pairs, keys up to 64 and values up to 512 chars")
        conv = (value or {}).get("conversation_id")
        if conv is not None and not (isinstance(conv, str) and re.fullmatch(CONVERSATION_ID, conv)):
            raise ValueError("metadata.conversation_id must be 1-128 letters, digits or _.:-")
        return value

    @property
    def include_usage(self) -> bool:
        return bool(self.stream_options and self.stream_options.include_usage)

    def body_conversation_id(self) -> str | None:
        meta = (self.metadata or {}).get("conversation_id")
        return self.conversation_id or (str(meta) if meta else None)


class McpStreamOptions(_Body):
    includeUsage: bool = False  # noqa: N815


class McpChatRequest(_Body):
    """A chat completion request (camelCase). `conversationId` and `streamOptions` are
    optional extensions; `maxTokens` and `temperature` are accepted for compatibility."""

    model: str | None = Field(None, max_length=200)
    messages: list[ChatMessage] = Field(..., max_length=1000)
    maxTokens: int | None = Field(None, ge=1)  # noqa: N815 - document field name
    temperature: float | None = Field(None, ge=0, le=2)
    stream: bool = False
    streamOptions: McpStreamOptions | None = None  # noqa: N815
    conversationId: str | None = Field(None, pattern=CONVERSATION_ID)  # noqa: N815

    last_is_user = field_validator("messages")(check_messages)


class AIQueryContext(_Body):
    module: str | None = Field(None, max_length=100)
    conversationId: str | None = Field(None, pattern=CONVERSATION_ID)  # noqa: N815


class AIQueryRequest(_Body):
    """A question for the assistant, optionally continuing a conversation."""

    query: str = Field(..., min_length=1, max_length=MAX_TEXT)
    context: AIQueryContext | None = None

    @field_validator("query")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("query must not be blank")
        return value


class V1ChatContext(_Body):
    workspace_id: str | None = Field(None, max_length=64)
    user_id: str | None = Field(None, max_length=64, description="Ignored: the token names the user.")
    conversation_id: str | None = Field(None, pattern=CONVERSATION_ID)


class V1ChatRequest(_Body):
    """A message for the assistant, optionally in a given workspace and conversation."""

    message: str = Field(..., min_length=1, max_length=MAX_TEXT)
    context: V1ChatContext | None = None
    conversation_id: str | None = Field(None, pattern=CONVERSATION_ID)

    @field_validator("message")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("message must not be blank")
        return value

    def explicit_conversation(self) -> str | None:
        return self.conversation_id or (self.context.conversation_id if self.context else None)
