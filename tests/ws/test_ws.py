"""Document 004's WebSocket at /ws: authenticated, one workspace's events only, heartbeats, and a
reconnect with the last event id gets what it missed, in order, before live events."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from helpers import Account, register
from starlette.testclient import WebSocketTestSession
from starlette.websockets import WebSocketDisconnect

Frame = dict[str, Any]


def frames_until(ws: WebSocketTestSession, done: Callable[[list[Frame]], bool],
                 timeout: float = 10.0) -> list[Frame]:
    """Every non-heartbeat frame until `done(frames)` (heartbeats keep receive() from blocking)."""
    got: list[Frame] = []
    deadline = time.time() + timeout
    while time.time() < deadline:
        frame = ws.receive_json()
        if frame["event"] != "heartbeat":
            got.append(frame)
        if done(got):
            return got
    raise AssertionError(f"timed out; frames so far: {got}")


def quiet_for(ws: WebSocketTestSession, seconds: float) -> list[Frame]:
    """Non-heartbeat frames received during `seconds` (an isolation check wants none)."""
    got: list[Frame] = []
    end = time.time() + seconds
    while time.time() < end:
        frame = ws.receive_json()
        if frame["event"] != "heartbeat":
            got.append(frame)
    return got


def events_of(frames: list[Frame], kind: str) -> list[Frame]:
    return [f for f in frames if f["event"] == kind]


def customer(client: TestClient, account: Account, name: str) -> dict[str, Any]:
    r = client.post("/api/crm/customers", headers=account.headers, json={"name": name})
    assert r.status_code == 201, r.text
    return dict(r.json()["data"]["customer"])


def connected(ws: WebSocketTestSession) -> Frame:
    hello = ws.receive_json()
    assert hello["event"] == "connected", hello
    return hello


def test_a_token_is_required(client: TestClient) -> None:
    with client.websocket_connect("/ws?token=not-a-token") as ws:
        frame = ws.receive_json()
        assert frame["event"] == "error" and frame["data"]["code"] in ("AUTH_INVALID_TOKEN", "UNAUTHORIZED")
        with pytest.raises(WebSocketDisconnect) as closed:
            ws.receive_json()
        assert closed.value.code == 4401
    with client.websocket_connect("/ws") as ws:  # no token: the first message must authenticate
        ws.send_json({"type": "subscribe"})
        assert ws.receive_json()["data"]["code"] == "UNAUTHORIZED"
        with pytest.raises(WebSocketDisconnect) as closed:
            ws.receive_json()
        assert closed.value.code == 4401


def test_auth_by_query_header_or_first_message(client: TestClient, account: Account) -> None:
    with client.websocket_connect(f"/ws?token={account.token}") as ws:
        assert connected(ws)["data"]["workspace_id"] == account.tenant_id
    with client.websocket_connect("/ws", headers=account.headers) as ws:
        assert connected(ws)["data"]["user_id"] == account.user_id
    with client.websocket_connect("/ws") as ws:
        ws.send_json({"type": "auth", "token": account.token})
        assert connected(ws)["data"]["workspace_id"] == account.tenant_id


def test_heartbeats_arrive(client: TestClient, account: Account) -> None:
    with client.websocket_connect(f"/ws?token={account.token}") as ws:
        assert connected(ws)["data"]["heartbeat_seconds"] == 0.3
        started = time.time()
        beat = ws.receive_json()
        assert beat["event"] == "heartbeat" and beat["data"]["timestamp"].endswith("Z")
        assert time.time() - started < 2
        ws.send_json({"type": "ping"})
        assert frames_until(ws, lambda f: bool(events_of(f, "pong")))


def test_events_stream_in_004_shape(client: TestClient, account: Account) -> None:
    with client.websocket_connect(f"/ws?token={account.token}") as ws:
        connected(ws)
        made = customer(client, account, "Ada Streamer")
        r = client.post("/api/crm/deals", headers=account.headers, json={"title": "Ws deal", "value": 500})
        deal = r.json()["data"]["deal"]
        got = frames_until(ws, lambda f: bool(events_of(f, "deal.created")))
    created = events_of(got, "customer.created")[0]
    assert created["data"]["customer"]["id"] == made["id"] and created["id"] and created["sequence"] > 0
    deal_frame = events_of(got, "deal.created")[0]
    assert set(deal_frame) >= {"event", "data", "id", "sequence", "timestamp"}
    assert deal_frame["data"]["id"] == deal["id"]
    assert deal_frame["sequence"] > created["sequence"]


def test_a_tenant_never_sees_another_tenants_events(client: TestClient, account: Account) -> None:
    stranger = register(client)
    with client.websocket_connect(f"/ws?token={account.token}") as mine, \
            client.websocket_connect(f"/ws?token={stranger.token}") as theirs:
        connected(mine)
        connected(theirs)
        customer(client, account, "Only Mine")
        assert events_of(frames_until(mine, lambda f: bool(f)), "customer.created")
        assert quiet_for(theirs, 1.5) == []
    # nor can they ask for it by workspace id, or resume from one of its event ids
    with client.websocket_connect(f"/ws?token={stranger.token}&workspace_id={account.tenant_id}") as ws:
        frame = ws.receive_json()
        assert frame["event"] == "error" and frame["data"]["code"] == "TENANT_NOT_FOUND"
        with pytest.raises(WebSocketDisconnect) as closed:
            ws.receive_json()
        assert closed.value.code == 4404
    with client.websocket_connect(f"/ws?token={account.token}") as ws:
        connected(ws)
        customer(client, account, "Theirs to resume from?")
        own_id = frames_until(ws, lambda f: bool(f))[0]["id"]
    with client.websocket_connect(f"/ws?token={stranger.token}&last_event_id={own_id}") as ws:
        connected(ws)
        frame = ws.receive_json()
        assert frame["event"] == "error" and frame["data"]["code"] == "EVENT_NOT_FOUND"
        assert quiet_for(ws, 0.8) == []


def test_a_reconnect_with_the_last_event_id_gets_what_it_missed(client: TestClient, account: Account) -> None:
    with client.websocket_connect(f"/ws?token={account.token}") as ws:
        connected(ws)
        customer(client, account, "Seen One")
        last = frames_until(ws, lambda f: bool(f))[-1]
    missed = [customer(client, account, f"Missed {i}")["id"] for i in range(3)]
    with client.websocket_connect(f"/ws?token={account.token}&last_event_id={last['id']}") as ws:
        assert connected(ws)["data"]["resumed_from"] == last["id"]
        replayed = frames_until(ws, lambda f: len(f) >= 3)
        assert [f["data"]["id"] for f in replayed] == missed
        assert [f["sequence"] for f in replayed] == sorted(f["sequence"] for f in replayed)
        live = customer(client, account, "Live After Resume")
        after = frames_until(ws, lambda f: bool(f))
        assert [f["data"]["id"] for f in after] == [live["id"]]
        # and by message, mid-connection
        ws.send_json({"type": "resume", "last_event_id": last["id"]})
        again = frames_until(ws, lambda f: len(f) >= 4)
        assert [f["data"]["id"] for f in again] == [*missed, live["id"]]


def test_the_events_parameter_filters_types(client: TestClient, account: Account) -> None:
    with client.websocket_connect(f"/ws?token={account.token}&events=deal.created") as ws:
        connected(ws)
        customer(client, account, "Not Wanted")
        client.post("/api/crm/deals", headers=account.headers, json={"title": "Wanted", "value": 1})
        got = frames_until(ws, lambda f: bool(f))
        assert [f["event"] for f in got] == ["deal.created"]


def test_workspace_selection_among_the_callers_own(client: TestClient, account: Account) -> None:
    r = client.post("/api/v1/workspaces", json={"name": "Second Ws Shop"}, headers=account.headers)
    second = r.json()["id"]
    with client.websocket_connect(f"/ws?token={account.token}&workspace_id={second}") as ws:
        assert connected(ws)["data"]["workspace_id"] == second
        customer(client, account, "Home Tenant Customer")  # the default workspace, not this one
        assert quiet_for(ws, 1.0) == []
        h = {**account.headers, "X-Tenant-Id": second}
        client.post("/api/crm/customers", headers=h, json={"name": "Second Tenant Customer"})
        got = frames_until(ws, lambda f: bool(f))
        assert got[0]["data"]["name"] == "Second Tenant Customer"


def test_bad_messages_are_answered_not_fatal(client: TestClient, account: Account) -> None:
    with client.websocket_connect(f"/ws?token={account.token}") as ws:
        connected(ws)
        ws.send_bytes(b"\x00\xff not json")
        assert frames_until(ws, lambda f: bool(f))[0]["data"]["code"] == "BAD_MESSAGE"
        ws.send_json({"type": "subscribe-everything"})
        assert frames_until(ws, lambda f: bool(f))[0]["data"]["code"] == "BAD_MESSAGE"
        ws.send_json({"type": "ping"})
        assert frames_until(ws, lambda f: bool(f))[0]["event"] == "pong"
