"""OpenAI-compatible API: `GET /v1/models`, `GET /v1/models/{id}`, `POST /v1/chat/completions`.

The official `openai` SDK works unchanged with `base_url=<server>/v1` and a BizPilot access token
or `bp_` API key as `api_key`. Every answer comes from the BizPilot agent:

- Model ids: `/v1/models` lists `bizpilot` (the assistant, whatever model runs it) and the model
  that actually answers (e.g. `bizpilot-offline`); a request naming another model is a 404
  `model_not_found`, as OpenAI answers it. The response names the model that answered.
- Conversations: `X-Conversation-Id` header, else body `conversation_id`, else
  `metadata.conversation_id`; without one the transcript itself finds the conversation (see
  agent.transcripts). The id is returned in the `X-Conversation-Id` response header and in the
  `bizpilot` extension field, next to the tools the agent ran.
- Tenant: the credential's tenant, or `X-Tenant-Id` among the caller's own (as on every route).
- Rate limit: the general API budget (no document sets one for this surface; agents and eval
  harnesses send bursts, and the SDK would retry 429s into duplicate work).
- Errors use OpenAI's shape `{error: {message, type, param, code}}`; every invalid request,
  malformed JSON included, is a 400 `invalid_request_error`, as OpenAI answers it.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute

from api.chat.openai_format import ChunkMaker, completion, completion_id, model_list, model_object, now
from api.chat.schemas import CONVERSATION_HEADER, ChatCompletionRequest, ConversationHeader
from api.chat.service import agent_service, complete, prepare, split_transcript
from api.chat.sse import completion_frames, sse_response
from api.deps import CurrentPrincipal
from api.errors import respond, validation_details
from api.ratelimit import api_limit
from core.errors import AppError, InvalidRequest, ModelNotFound


class OpenAIRoute(APIRoute):
    """OpenAI answers every invalid request with 400 (the SDK's BadRequestError), where FastAPI
    would answer 422: convert validation failures here, for these routes only."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def handle(request: Request) -> Response:
            try:
                return await handler(request)
            except RequestValidationError as exc:
                raise invalid_request(exc) from None

        return handle


def known_model(model_id: str | None) -> None:
    """Raise OpenAI's 404 for a model this server does not serve (none given means the default)."""
    if model_id is None:
        return
    if model_id not in {m["id"] for m in agent_service().list_models()}:
        raise ModelNotFound(f"The model '{model_id}' does not exist or you do not have access to it.",
                            code="MODEL_NOT_FOUND", details=[{"field": "model", "message": "unknown"}])


def invalid_request(exc: RequestValidationError) -> InvalidRequest:
    details = validation_details(exc)
    if any(e.get("type") == "json_invalid" for e in exc.errors()):
        return InvalidRequest("We could not parse the JSON body of your request.", details=details,
                              code="INVALID_JSON")
    first = details[0] if details else {"field": "body", "message": "invalid"}
    return InvalidRequest(f"Invalid value for '{first['field']}': {first['message']}", details=details)


router = APIRouter(tags=["openai"], route_class=OpenAIRoute, dependencies=[Depends(api_limit)])


@router.get("/v1/models")
async def list_models(_principal: CurrentPrincipal) -> JSONResponse:
    return JSONResponse(model_list(agent_service().list_models()))


@router.get("/v1/models/{model_id:path}")
async def get_model(model_id: str, _principal: CurrentPrincipal) -> JSONResponse:
    for model in agent_service().list_models():
        if model["id"] == model_id:
            return JSONResponse(model_object(model))
    raise ModelNotFound(f"The model '{model_id}' does not exist or you do not have access to it.")


@router.post("/v1/chat/completions", response_model=None)
async def chat_completions(request: Request, principal: CurrentPrincipal, body: ChatCompletionRequest,
                           conversation: ConversationHeader = None) -> Response:
    """A chat completion from the agent; `stream: true` answers with server-sent events."""
    known_model(body.model)
    prior, message = split_transcript(body.messages)
    turn = await prepare(principal, message, prior=prior,
                         explicit_id=conversation or body.body_conversation_id())
    if body.stream:
        maker = ChunkMaker(agent_service().model_name(), include_usage=body.include_usage)
        return sse_response(completion_frames(turn, maker), {CONVERSATION_HEADER: turn.conversation_id})
    try:
        result = await complete(turn)
    except AppError as exc:
        if exc.status_code < 500:
            raise
        return no_retry(request, exc, turn.conversation_id)
    return JSONResponse(completion(result, completion_id(), now()),
                        headers={CONVERSATION_HEADER: result.conversation_id})


def no_retry(request: Request, exc: AppError, conversation_id: str) -> JSONResponse:
    """The openai SDK retries 5xx answers by default, which would run the agent (and any write
    it made before failing) again: `x-should-retry: false` tells the SDK not to."""
    headers = {"x-should-retry": "false", CONVERSATION_HEADER: conversation_id}
    return respond(request, exc.status_code, exc.code, exc.message, exc.details, headers)
