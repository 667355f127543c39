"""`bizpilot chat --url`: the terminal chat against a running BizPilot server.

It speaks the server's OpenAI-compatible API: each message is one streamed `POST /v1/chat/
completions` with the `X-Conversation-Id` the server returned for the first one, so follow-ups
and confirmations ("yes") land on the same conversation. Text deltas are printed as they come;
the tools the agent ran arrive in the chunks' `bizpilot` extension field and are shown only with
`verbose`. Only httpx is imported: no agent, database or settings on this side.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, TextIO

import httpx

EXIT_WORDS = frozenset({"exit", "quit", ":q", "bye"})
CONVERSATION_HEADER = "X-Conversation-Id"
EXTENSION = "bizpilot"
DONE = "[DONE]"
DEFAULT_MODEL = "bizpilot"
TIMEOUT = httpx.Timeout(30.0, read=120.0)  # the server pings every 15 s while the agent works


class RemoteError(Exception):
    """The server cannot be used at all (unreachable, or the credential is refused)."""

    conversation_id: str | None = None  # the conversation so far, to resume once it is fixed


def tool_note(name: str, status: str) -> str:
    """What `--verbose` prints for one finished tool call (the local chat prints the same)."""
    return f"[{name}: {status}] "


def base_url(url: str) -> str:
    """The server's root from what a user may type: a bare host:port, or the SDK's `.../v1`."""
    url = url.strip().rstrip("/")
    if "://" not in url:
        url = f"http://{url}"
    if url.endswith("/v1"):
        url = url[: -len("/v1")]
    return url


def sse_payloads(lines: Iterable[str]) -> Iterator[dict[str, Any]]:
    """The JSON objects of an OpenAI-style event stream, up to `data: [DONE]` (then a final
    `{"done": True}`). Comment lines (`:` pings), blank separators and other fields are skipped."""
    for line in lines:
        if not line.startswith("data:"):
            continue
        data = line[len("data:"):].strip()
        if data == DONE:
            yield {"done": True}
            return
        if data:
            yield json.loads(data)


@dataclass
class Reply:
    """One answer as it was streamed: its printed text and what the server reported."""

    text: str = ""
    conversation_id: str | None = None
    tool_calls: list[dict[str, Any]] = field(default_factory=list)
    pending_confirmation: dict[str, Any] | None = None
    error: str | None = None
    done: bool = False


def render(payload: dict[str, Any], reply: Reply, *, verbose: bool) -> str:
    """What to print for one stream payload, recording into `reply` what it says. Pure apart from
    `reply`: this is the whole protocol, so it is what the tests pin down."""
    if payload.get("done"):
        reply.done = True
        return ""
    if "error" in payload:
        error = payload["error"] if isinstance(payload["error"], dict) else {}
        reply.error = str(error.get("message") or "the server failed to answer")
        return f"Sorry: {reply.error}"
    out = []
    ext = payload.get(EXTENSION)
    if isinstance(ext, dict):
        reply.conversation_id = ext.get("conversation_id") or reply.conversation_id
        call = ext.get("tool_call")
        if ext.get("event") == "tool_finished" and isinstance(call, dict):
            reply.tool_calls.append(call)
            if verbose:
                out.append(tool_note(str(call.get("name")), str(call.get("status"))))
        if "pending_confirmation" in ext:
            reply.pending_confirmation = ext["pending_confirmation"]
    for choice in payload.get("choices") or []:
        text = (choice.get("delta") or {}).get("content") or ""
        reply.text += text
        out.append(text)
    return "".join(out)


def _error_message(response: httpx.Response) -> str:
    """The message of an OpenAI-shaped (or BizPilot envelope) error body, else the status."""
    try:
        body = json.loads(response.read())
    except ValueError:
        body = None
    if isinstance(body, dict):
        error = body.get("error")
        if isinstance(error, dict) and error.get("message"):
            return str(error["message"])
        if body.get("message"):
            return str(body["message"])
    return f"HTTP {response.status_code}"


def _refused(response: httpx.Response) -> RemoteError:
    return RemoteError(
        f"The server refused the credential ({_error_message(response)}). Access tokens expire "
        "after an hour; an API key does not: create one on the server with `bizpilot api-key`.")


def model_name(client: httpx.Client) -> str:
    """The model the server answers with; also proves the server is up and the token works."""
    try:
        response = client.get("/v1/models")
    except httpx.HTTPError as err:
        raise RemoteError(f"Cannot reach BizPilot at {client.base_url}: {err}") from None
    if response.status_code in (401, 403):
        raise _refused(response)
    if response.status_code != 200:
        raise RemoteError(f"{client.base_url} does not answer like a BizPilot server "
                          f"(GET /v1/models: {_error_message(response)})")
    models = response.json().get("data") or [{}]
    return str(models[0].get("id") or DEFAULT_MODEL)


def ask(client: httpx.Client, message: str, conversation_id: str | None, out: TextIO, *,
        model: str = DEFAULT_MODEL, verbose: bool = False) -> Reply:
    """Stream the answer to one message onto `out`."""
    headers = {CONVERSATION_HEADER: conversation_id} if conversation_id else {}
    body = {"model": model, "stream": True, "messages": [{"role": "user", "content": message}]}
    reply = Reply(conversation_id=conversation_id)
    try:
        with client.stream("POST", "/v1/chat/completions", json=body, headers=headers) as response:
            if response.status_code in (401, 403):
                raise _refused(response)
            reply.conversation_id = response.headers.get(CONVERSATION_HEADER) or conversation_id
            if response.status_code != 200:
                reply.error = _error_message(response)
                out.write(f"Sorry: {reply.error}")
                return reply
            for payload in sse_payloads(response.iter_lines()):
                out.write(render(payload, reply, verbose=verbose))
                out.flush()
    except httpx.HTTPError as err:
        reply.error = f"lost the connection to {client.base_url} ({type(err).__name__})"
        out.write(f"Sorry: {reply.error}")
        return reply
    if not reply.done and reply.error is None:
        out.write(" [the answer was cut off]")
    return reply


def chat(client: httpx.Client, conversation_id: str | None = None, stdin: TextIO | None = None,
         stdout: TextIO | None = None, *, verbose: bool = False) -> str | None:
    """The read-answer loop until EOF or "exit"; returns the conversation id so it can be
    resumed. Raises RemoteError when the server cannot be used."""
    stdin, stdout = stdin or sys.stdin, stdout or sys.stdout
    interactive = stdin.isatty()
    model = model_name(client)
    stdout.write(f"BizPilot ({model}) at {client.base_url}. Type exit to leave.\n")
    while True:
        if interactive:
            stdout.write("you> ")
            stdout.flush()
        try:
            line = stdin.readline()
        except KeyboardInterrupt:
            break
        if not line:
            break
        message = line.strip()
        if message.lower() in EXIT_WORDS:
            break
        if not message:
            continue
        stdout.write("bizpilot> ")
        try:
            conversation_id = ask(client, message, conversation_id, stdout, model=model,
                                  verbose=verbose).conversation_id
        except KeyboardInterrupt:
            stdout.write(" [interrupted]")
        except RemoteError as err:
            err.conversation_id = conversation_id
            raise
        stdout.write("\n")
        stdout.flush()
    return conversation_id


def client_for(url: str, token: str, *, transport: httpx.BaseTransport | None = None) -> httpx.Client:
    return httpx.Client(base_url=base_url(url), headers={"Authorization": f"Bearer {token}"},
                        timeout=TIMEOUT, transport=transport)


def run(url: str, token: str, conversation_id: str | None = None, verbose: bool = False,
        stdin: TextIO | None = None, stdout: TextIO | None = None) -> None:
    """`bizpilot chat --url`: chat, then say how to resume; exit with a message if the server
    cannot be used."""
    stdout = stdout or sys.stdout
    failure = None
    with client_for(url, token) as client:
        try:
            conversation_id = chat(client, conversation_id, stdin, stdout, verbose=verbose)
        except RemoteError as err:
            failure, conversation_id = err, err.conversation_id
    if conversation_id:
        stdout.write(f"\nResume with: bizpilot chat --url {base_url(url)} "
                     f"--conversation {conversation_id}\n")
    if failure is not None:
        sys.exit(f"\nbizpilot chat: {failure}")
