"""Every tool the assistant can call declares how people ask for it (tools/language.py), and the
declarations are sound: enough examples, none shared between tools, synonyms and references that
name real fields and values, a question for every required field, and a phrase that turns a real
result into words whose every figure comes from that result (checked as the evals check it)."""

from __future__ import annotations

import re
import types
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import pytest
from automations.samples import automation_calls
from connectors.memory_connector import sample_connector_calls
from helpers import Account
from insights.samples import insight_calls
from lineage.samples import lineage_calls
from predictions.samples import prediction_calls
from pydantic import BaseModel, ValidationError
from simulation.samples import simulation_calls

from evals.harness import CallRecord
from evals.scoring import ungrounded
from tools.context import Principal
from tools.language import ToolLanguage, all_languages, language_of
from tools.registry import ToolSpec, all_tools
from tools.runtime import execute
from tools.schemas import DestructiveResult

TOOLS = all_tools()
LANGUAGES = all_languages()


def literal_values(annotation: Any) -> set[Any] | None:
    """The values of the Literal inside an annotation (through Optional and Annotated), if any."""
    origin = get_origin(annotation)
    if origin is Literal:
        return set(get_args(annotation))
    if origin in (Union, types.UnionType, Annotated):
        for arg in get_args(annotation):
            found = literal_values(arg)
            if found is not None:
                return found
    return None


def normalized(example: str) -> str:
    return re.sub(r"[^\w%$.,'&-]+", " ", example.lower()).strip(" .?!")


def test_every_exposed_tool_declares_its_language() -> None:
    assert "customer_overview" in TOOLS
    missing = [name for name in TOOLS if language_of(name) is None]
    assert not missing, f"no language declared for {missing}"
    assert set(LANGUAGES) == set(TOOLS)
    for name, lang in LANGUAGES.items():
        assert isinstance(lang, ToolLanguage)
        assert len(lang.examples) >= 10, name
        assert all(e.strip() for e in lang.examples), name
        assert len({normalized(e) for e in lang.examples}) == len(lang.examples), f"{name} repeats an example"


def test_no_example_is_shared_between_tools() -> None:
    owner: dict[str, str] = {}
    clashes = []
    for name, lang in LANGUAGES.items():
        for example in lang.examples:
            key = normalized(example)
            if key in owner and owner[key] != name:
                clashes.append((example, owner[key], name))
            owner[key] = name
    assert not clashes


def _field_accepts(spec: ToolSpec, field: str, value: Any) -> bool:
    """Whether `value` is valid for one field of the tool's input, by the model's own rules."""
    model = spec.input_model
    try:
        model.__pydantic_validator__.validate_assignment(model.model_construct(), field, value)
    except ValidationError:
        return False
    return True


@pytest.mark.parametrize("name", sorted(TOOLS))
def test_field_words_name_real_fields(name: str) -> None:
    spec, lang = TOOLS[name], LANGUAGES[name]
    for field, words in lang.field_words.items():
        assert field in spec.input_model.model_fields, f"{name}: no input field {field}"
        assert words and all(w == w.lower().strip() and w for w in words), f"{name}.{field}: {words}"


@pytest.mark.parametrize("name", sorted(TOOLS))
def test_synonyms_name_real_fields_and_values(name: str) -> None:
    spec, lang = TOOLS[name], LANGUAGES[name]
    fields = spec.input_model.model_fields
    for field, values in lang.synonyms.items():
        assert field in fields, f"{name}: no input field {field}"
        enum = literal_values(fields[field].annotation)
        seen: dict[str, str] = {}
        for value, words in values.items():
            if enum is not None:
                assert value in enum, f"{name}.{field}: {value!r} is not one of {sorted(enum)}"
            else:  # a constrained string, such as the dashboard's "30d"
                assert _field_accepts(spec, field, value) or _field_accepts(spec, field, [value]), \
                    f"{name}.{field}: {value!r} is not valid"  # a list field takes [value]
            assert words, f"{name}.{field}.{value}: no words"
            for word in words:
                key = word.lower().strip()
                assert key and seen.get(key, value) == value, \
                    f"{name}.{field}: {word!r} means both {seen.get(key)} and {value}"
                seen[key] = value
    enums = {f for f, info in fields.items() if literal_values(info.annotation) is not None}
    undeclared = enums - set(lang.synonyms) - {"sort_by", "sort_order"}
    assert not undeclared, f"{name}: enum fields without synonyms: {undeclared}"


@pytest.mark.parametrize("name", sorted(TOOLS))
def test_references_and_questions_name_real_fields(name: str) -> None:
    spec, lang = TOOLS[name], LANGUAGES[name]
    fields = spec.input_model.model_fields
    for field, kind in lang.references.items():
        assert field in fields, f"{name}: no input field {field}"
        assert kind and kind.isidentifier(), f"{name}.{field}: record kind {kind!r}"
        assert _field_accepts(spec, field, "an-id"), f"{name}.{field} does not take an id"
    for field, question in lang.questions.items():
        assert field in fields, f"{name}: no input field {field}"
        assert question.strip().endswith("?"), f"{name}.{field}: {question!r}"
    required = {f for f, info in fields.items() if info.is_required()}
    assert required <= set(lang.questions), f"{name}: no question for {required - set(lang.questions)}"
    if "customer_id" in required:
        assert lang.references.get("customer_id") == "customer"
    if "deal_id" in required:
        assert lang.references.get("deal_id") == "deal"


# --- phrasing real results ---------------------------------------------------------------------


@dataclass
class Call:
    name: str
    args: dict[str, Any]
    output: BaseModel


def principal_of(account: Account) -> Principal:
    return Principal(user_id=account.user_id, tenant_id=account.tenant_id, role="admin",
                     email=account.email)


def call(calls: list[Call], who: Principal, name: str, args: dict[str, Any], **options: Any) -> BaseModel:
    out = execute(name, who, args, **options)
    calls.append(Call(name, args, out))
    return out


def _first(model: BaseModel, attr: str) -> Any:
    return getattr(model, attr)[0]


def sample_calls(who: Principal) -> list[Call]:
    """Every exposed tool run at least once on `who`'s workspace, reads in several shapes, then
    the writes on records of the test's own."""
    calls: list[Call] = []
    today = datetime.now(UTC).date()
    customers = call(calls, who, "list_customers", {})
    call(calls, who, "list_customers", {"status": "lead", "limit": 5})
    call(calls, who, "list_customers", {"sort_by": "name", "sort_order": "asc", "company": "a"})
    call(calls, who, "list_customers", {"created_after": str(today - timedelta(days=30))})
    deals = call(calls, who, "list_deals", {})
    call(calls, who, "list_deals", {"status": "open", "min_value": 10000, "sort_by": "value"})
    call(calls, who, "list_deals", {"stage": "closed_won", "max_value": 30000.5})
    call(calls, who, "pipeline_summary", {})
    call(calls, who, "revenue_for_period", {"period": "last_month"})
    call(calls, who, "revenue_for_period", {"period": "this_year"})
    call(calls, who, "revenue_for_period", {"month": f"{today.year - 1}-03"})
    call(calls, who, "revenue_for_period", {"start_date": str(today - timedelta(days=45)),
                                            "end_date": str(today - timedelta(days=3))})
    call(calls, who, "dashboard_metrics", {})
    call(calls, who, "dashboard_metrics", {"period": "1y"})
    call(calls, who, "revenue_trend", {})
    call(calls, who, "revenue_trend", {"period": "last_quarter", "granularity": "week"})
    call(calls, who, "revenue_trend", {"period": "last_90_days", "granularity": "day"})
    call(calls, who, "top_customers", {})
    call(calls, who, "top_customers", {"period": "last_30_days", "limit": 3})
    call(calls, who, "get_workspace", {})
    call(calls, who, "list_workspaces", {})
    call(calls, who, "list_workspace_members", {})
    if customers.pagination.total:  # type: ignore[attr-defined]
        someone = _first(customers, "customers")
        call(calls, who, "get_customer", {"customer_id": someone.id})
        call(calls, who, "customer_overview", {"customer_id": someone.id})
        call(calls, who, "list_customers", {"search": someone.email})
    if deals.total:  # type: ignore[attr-defined]
        call(calls, who, "get_deal", {"deal_id": _first(deals, "deals").id})

    tag = uuid.uuid4().hex[:6]
    made = call(calls, who, "create_customer", {"name": f"Wren Halloway {tag}", "company": "Tern Studio",
                                                "email": f"wren.{tag}@tern.example", "phone": "555-0142",
                                                "tags": ["vip"]})
    cid = made.customer.id  # type: ignore[attr-defined]
    call(calls, who, "update_customer", {"customer_id": cid, "status": "active", "phone": "555-0199"})
    call(calls, who, "find_records", {"kind": "customer", "text": f"Wren Halloway {tag}"})
    call(calls, who, "get_customer", {"customer_id": cid})
    call(calls, who, "customer_overview", {"customer_id": cid, "period": "last_year"})
    deal = call(calls, who, "create_deal", {"title": f"Fleet renewal {tag}", "value": 12500,
                                            "customer_id": cid,
                                            "expected_close_date": str(today + timedelta(days=40))})
    did = deal.deal.id  # type: ignore[attr-defined]
    call(calls, who, "update_deal", {"deal_id": did, "value": 14250.5, "probability": 35,
                                     "expected_close_date": str(today + timedelta(days=60)),
                                     "description": "two shoot days"})
    call(calls, who, "move_deal_stage", {"deal_id": did, "stage": "negotiation"})
    call(calls, who, "customer_overview", {"customer_id": cid})
    call(calls, who, "move_deal_stage", {"deal_id": did, "stage": "closed_won"})
    call(calls, who, "get_deal", {"deal_id": did})
    call(calls, who, "delete_deal", {"deal_id": did})  # preview
    call(calls, who, "delete_deal", {"deal_id": did}, confirmed=True)
    call(calls, who, "delete_customer", {"customer_id": cid})  # preview
    call(calls, who, "delete_customer", {"customer_id": cid}, confirmed=True)
    call(calls, who, "create_workspace", {"name": f"Tern Studio East {tag}"})
    webhook_calls(calls, who, tag)
    sample_connector_calls(lambda name, args, **o: call(calls, who, name, args, **o), who.tenant_id)
    prediction_calls(lambda name, args, **o: call(calls, who, name, args, **o), who.tenant_id)
    calls += [Call(name, args, out) for name, args, out in lineage_calls(who)]
    insight_calls(lambda name, args, **o: call(calls, who, name, args, **o), who.tenant_id)
    automation_calls(lambda name, args, **o: call(calls, who, name, args, **o), who.tenant_id)
    simulation_calls(lambda name, args, **o: call(calls, who, name, args, **o), who.tenant_id)
    security_calls(calls, who, tag)
    return calls


def security_calls(calls: list[Call], who: Principal, tag: str) -> None:
    """The security and access tools: the posture, the team, the audit trail (with filters), and
    an API key of the test's own listed, previewed for revocation and revoked."""
    from store.db import unit_of_work
    from tools.identity.tokens import new_api_key

    with unit_of_work() as session:
        key, _raw = new_api_key(session, who.tenant_id, who.user_id, f"sample {tag}")
        key_id = key.id
    call(calls, who, "security_score", {})
    call(calls, who, "team_security", {})
    call(calls, who, "team_security", {"without_mfa_only": True})
    call(calls, who, "list_audit_log", {})
    call(calls, who, "list_audit_log", {"tool": "create_customer", "outcome": "ok", "limit": 3})
    call(calls, who, "list_audit_log", {"search": "no such thing anywhere"})
    call(calls, who, "list_api_keys", {})
    call(calls, who, "list_sessions", {})
    call(calls, who, "revoke_api_keys", {"api_key_id": key_id})
    call(calls, who, "revoke_api_keys", {"api_key_id": key_id}, confirmed=True)
    call(calls, who, "end_other_sessions", {})  # preview
    call(calls, who, "end_other_sessions", {}, confirmed=True)


def webhook_calls(calls: list[Call], who: Principal, tag: str) -> None:
    """The webhook and job tools, with one delivery recorded (no worker runs here: the event
    subscriber is called directly, so the delivery waits in the log)."""
    from sqlalchemy import select

    from store.db import unit_of_work
    from store.models import DomainEvent
    from tools.webhooks.delivery import fan_out

    hook = call(calls, who, "create_webhook", {"url": f"https://93.184.216.34/hooks/{tag}",
                                               "events": ["customer.created", "deal.*"]})
    hid = hook.webhook.id  # type: ignore[attr-defined]
    with unit_of_work(who.tenant_id) as session:
        event = session.scalars(select(DomainEvent).where(DomainEvent.type == "customer.created")
                                .order_by(DomainEvent.sequence.desc()).limit(1)).one()
    fan_out(event)
    call(calls, who, "list_webhooks", {})
    call(calls, who, "list_webhooks", {"active": False})
    call(calls, who, "get_webhook", {"webhook_id": hid})
    call(calls, who, "update_webhook", {"webhook_id": hid, "events": ["deal.won"], "description": "CRM sync"})
    log = call(calls, who, "list_webhook_deliveries", {"webhook_id": hid})
    call(calls, who, "list_webhook_deliveries", {"status": "failed"})
    did = log.deliveries[0].id  # type: ignore[attr-defined]
    call(calls, who, "get_webhook_delivery", {"delivery_id": did})
    call(calls, who, "redeliver_webhook", {"delivery_id": did})
    call(calls, who, "webhook_health", {})
    call(calls, who, "webhook_health", {"webhook_id": hid, "hours": 48})
    call(calls, who, "rotate_webhook_secret", {"webhook_id": hid, "keep_old_hours": 2})
    call(calls, who, "update_webhook", {"webhook_id": hid, "active": False})
    call(calls, who, "delete_webhook", {"webhook_id": hid})  # preview
    call(calls, who, "delete_webhook", {"webhook_id": hid}, confirmed=True)
    jobs = call(calls, who, "list_jobs", {})
    call(calls, who, "list_jobs", {"status": "failed"})
    if jobs.jobs:  # type: ignore[attr-defined]
        call(calls, who, "get_job", {"job_id": jobs.jobs[0].id})  # type: ignore[attr-defined]


@pytest.fixture
def demo_calls(demo_account: Account) -> list[Call]:
    return sample_calls(principal_of(demo_account))


@pytest.fixture
def empty_calls(account: Account) -> Iterator[list[Call]]:
    """The same on a brand-new workspace: no orders, no deals, no customers but the test's."""
    yield sample_calls(principal_of(account))


def _check_phrases(calls: list[Call]) -> set[str]:
    phrased = set()
    for c in calls:
        text = LANGUAGES[c.name].phrase(c.output, c.args)
        assert isinstance(text, str) and text.strip(), c.name
        assert "None" not in text and "{" not in text, f"{c.name}: {text}"
        loose = ungrounded(text, [CallRecord(c.name, c.args, c.output.model_dump_json())])
        assert not loose, f"{c.name} {c.args}: figures {loose} are not in the result:\n{text}"
        # a result that went through JSON (as the agent hands it on) reads the same
        again = type(c.output).model_validate_json(c.output.model_dump_json())
        assert LANGUAGES[c.name].phrase(again, c.args) == text
        phrased.add(c.name)
    return phrased


def test_every_phrase_runs_on_real_results_and_states_only_their_figures(demo_calls: list[Call]) -> None:
    assert _check_phrases(demo_calls) == set(TOOLS)
    statuses = {c.output.status for c in demo_calls if isinstance(c.output, DestructiveResult)}
    assert statuses == {"confirmation_required", "done"}


def test_phrases_of_an_empty_workspace(empty_calls: list[Call]) -> None:
    assert _check_phrases(empty_calls) == set(TOOLS)


def test_phrases_say_what_matters(demo_calls: list[Call]) -> None:
    def said(name: str) -> tuple[Any, str]:
        c = next(c for c in demo_calls if c.name == name)
        return c.output, LANGUAGES[name].phrase(c.output, c.args)

    revenue, text = said("revenue_for_period")  # last month
    assert f"${revenue.revenue:,.2f}" in text and f"{revenue.orders:,} paid order" in text
    assert "last month" in text and revenue.previous_label in text
    customers, text = said("list_customers")
    assert f"{customers.pagination.total:,}" in text
    assert text.count("\n- ") == min(10, len(customers.customers))
    deals, text = said("list_deals")
    assert f"{deals.total:,}" in text and text.count("\n- ") == min(10, len(deals.deals))
    overview, text = said("customer_overview")
    assert overview.customer.name in text and f"${overview.total_spend:,.2f}" in text
    preview, text = said("delete_deal")
    assert preview.status == "confirmation_required" and "confirm" in text.lower()


def test_a_workspace_without_deals_is_told_so_not_shown_six_empty_stages() -> None:
    from tools.crm.schemas import PipelineSummary, StageSummary

    stages = [StageSummary(stage=s, count=0, value=0.0, weighted_value=0.0)
              for s in ("lead", "qualified", "proposal", "negotiation", "closed_won", "closed_lost")]
    empty = PipelineSummary(stages=stages, open_count=0, open_value=0.0, weighted_value=0.0, won_count=0,
                            won_value=0.0, lost_count=0, win_rate=None, average_open_deal_value=None,
                            average_won_deal_value=None, currency="USD")
    assert LANGUAGES["pipeline_summary"].phrase(empty, {}).startswith("You have no deals yet")
