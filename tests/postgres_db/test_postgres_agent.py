"""On PostgreSQL the agent keeps conversations in PostgreSQL too (several API processes share
them), and the offline model answers from the same data."""

from __future__ import annotations

import sqlalchemy as sa
from fastapi.testclient import TestClient
from helpers import Account

from store.db import get_engine


def test_conversation_checkpoints_live_in_postgres(client: TestClient, demo_account: Account) -> None:
    headers = {**demo_account.headers, "X-Conversation-Id": "conv_pg_check"}
    first = client.post("/v1/chat/completions", headers=headers,
                        json={"model": "bizpilot", "messages": [
                            {"role": "user", "content": "what was revenue last month"}]})
    assert first.status_code == 200, first.text
    follow = client.post("/v1/chat/completions", headers=headers,
                         json={"model": "bizpilot", "messages": [
                             {"role": "user", "content": "and the month before?"}]})
    assert follow.status_code == 200
    assert "revenue" in follow.json()["choices"][0]["message"]["content"].lower()
    with get_engine().connect() as conn:
        threads = conn.execute(sa.text(
            "SELECT count(DISTINCT thread_id) FROM checkpoints WHERE thread_id LIKE :t"),
            {"t": "%:conv_pg_check"}).scalar_one()
    assert threads == 1
    listed = client.get("/api/crm/customers", headers=demo_account.headers).json()
    count = listed["data"]["pagination"]["total"]
    answer = client.post("/api/ai/query", headers=demo_account.headers,
                         json={"query": "how many customers do I have"}).json()["data"]["answer"]
    assert str(count) in answer
