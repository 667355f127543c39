"""The assistant endpoints of the /api and /api/v1 families, all served by the same agent.

- `POST /api/ai/query` (30/min): envelope {answer, sources, suggestedActions, conversationId,
  toolCalls, pendingConfirmation}; continue a conversation with `context.conversationId`.
- `GET /api/mcp/models`, `POST /api/mcp/chat/completions` (60/min): the OpenAI-style
  completion in the envelope, camelCase; with `stream: true` a server-sent event stream.
- `POST /api/v1/chat`: raw {response, confidence, conversation_id, tool_calls}.

Every response carries the conversation id in the `X-Conversation-Id` header too. An explicit
conversation id belonging to someone else starts a fresh conversation (see agent.transcripts).
"""

from __future__ import annotations

import anyio
from fastapi import APIRouter, Depends, Request, Response

from api.chat.openai_format import ChunkMaker, completion_id, mcp_completion, mcp_model
from api.chat.schemas import (
    CONVERSATION_HEADER,
    AIQueryRequest,
    ConversationHeader,
    McpChatRequest,
    V1ChatRequest,
)
from api.chat.service import agent_service, chat_answer, complete, prepare, query_answer, split_transcript
from api.chat.sse import completion_frames, sse_response
from api.deps import CurrentAuth, CurrentPrincipal, authenticate_for_tenant, bearer
from api.envelope import ok
from api.family import EnvelopeRoute, RawRoute, respond
from api.ratelimit import ai_limit, api_limit, mcp_limit
from core.errors import TenantNotFound
from tools.context import Principal
from tools.identity.service import Authenticated

router = APIRouter(tags=["assistant"], route_class=EnvelopeRoute)
router_v1 = APIRouter(tags=["assistant"], route_class=RawRoute)
PRICING_NOTE = "Self-hosted: models run on your own server or your own provider key; BizPilot " \
               "charges nothing per token."


def with_conversation(response: Response, conversation_id: str) -> Response:
    response.headers[CONVERSATION_HEADER] = conversation_id
    return response


@router.post("/api/ai/query", dependencies=[Depends(ai_limit)])
async def ai_query(request: Request, principal: CurrentPrincipal, body: AIQueryRequest) -> Response:
    """Ask the assistant. `sources` and `suggestedActions` are derived from the
    tools the agent actually ran; a failing model provider is a 500 AI_QUERY_FAILED."""
    explicit = body.context.conversationId if body.context else None
    turn = await prepare(principal, body.query.strip(), explicit_id=explicit)
    result = await complete(turn)
    return with_conversation(respond(request, query_answer(result)), result.conversation_id)


@router.get("/api/mcp/models", dependencies=[Depends(mcp_limit)])
async def mcp_models(request: Request, _principal: CurrentPrincipal) -> Response:
    """The models that can answer. Pricing is 0 per token: the model runs on your own server (or
    your own provider account), so BizPilot has no per-token cost."""
    models = [mcp_model(m) for m in agent_service().list_models()]
    return ok(request, models, meta_extra={"pricingNote": PRICING_NOTE})


@router.post("/api/mcp/chat/completions", dependencies=[Depends(mcp_limit)], response_model=None)
async def mcp_chat(request: Request, principal: CurrentPrincipal, body: McpChatRequest,
                   conversation: ConversationHeader = None) -> Response:
    """A chat completion in the envelope (`cost` is 0, see /api/mcp/models).

    With `stream: true` the answer is a `text/event-stream` of the same frames as OpenAI's
    `/v1/chat/completions`: `data: {chat.completion.chunk}` lines (first the role, then content
    deltas, tool progress in the `bizpilot` field, a `finish_reason: "stop"` chunk, a usage chunk
    if `streamOptions.includeUsage`), then `data: [DONE]`; a failure mid-stream is a
    `data: {"error": {message, type, code}}` frame that ends the stream.
    """
    prior, message = split_transcript(body.messages)
    turn = await prepare(principal, message, prior=prior, explicit_id=conversation or body.conversationId)
    if body.stream:
        usage = bool(body.streamOptions and body.streamOptions.includeUsage)
        maker = ChunkMaker(agent_service().model_name(), include_usage=usage)
        return sse_response(completion_frames(turn, maker), {CONVERSATION_HEADER: turn.conversation_id})
    result = await complete(turn)
    return with_conversation(respond(request, mcp_completion(result, completion_id())),
                             result.conversation_id)


async def workspace_principal(request: Request, auth: Authenticated, workspace_id: str | None) -> Principal:
    """`context.workspace_id` selects the tenant exactly as X-Tenant-Id does:
    among the caller's own workspaces only; any other id is 404 as if it did not exist."""
    if not workspace_id or workspace_id == auth.principal.tenant_id:
        return auth.principal
    try:
        selected = await anyio.to_thread.run_sync(authenticate_for_tenant, bearer(request), workspace_id)
    except TenantNotFound:
        raise TenantNotFound("Workspace not found") from None
    return selected.principal


@router_v1.post("/api/v1/chat", dependencies=[Depends(api_limit)])
async def v1_chat(request: Request, auth: CurrentAuth, body: V1ChatRequest) -> Response:
    """Send a message. `context.user_id` is ignored: the token says who is asking.
    `confidence` is computed from the tool calls (see api.chat.confidence)."""
    workspace = body.context.workspace_id if body.context else None
    principal = await workspace_principal(request, auth, workspace)
    turn = await prepare(principal, body.message.strip(), explicit_id=body.explicit_conversation())
    result = await complete(turn)
    return with_conversation(respond(request, chat_answer(result)), result.conversation_id)
