"""Finding a record by what people call it: "Jane Smith", "the Acme deal", "Northwind".

`find_records` scores the caller's own rows (the session is tenant-scoped by the runtime, see
`store.scoping`) against a name with rapidfuzz, over the columns that name a record only (names,
companies, titles, emails) and at most MAX_ROWS rows. It is how a model turns a name into the id
another tool needs; a candidate list with close scores means the name is ambiguous.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import Field
from rapidfuzz import fuzz, process
from rapidfuzz.utils import default_process
from sqlalchemy import select

from store.models import Customer, Deal
from store.repositories import tenancy
from tools import phrasing as p
from tools.context import ToolContext
from tools.language import ToolLanguage, declare, read_examples
from tools.registry import tool
from tools.schemas import ToolModel

EXAMPLES = read_examples(Path(__file__).with_name("lookup_examples.txt"))

RecordKind = Literal["customer", "deal", "workspace", "member"]
MAX_ROWS = 5_000
MIN_SCORE = 60.0
EXACT, CONTAINED = 100.0, 95.0


class FindRecordsInput(ToolModel):
    kind: RecordKind | None = Field(
        None,
        description="What to find: customer, deal, workspace (a business the caller belongs to) or "
        "member (a person on the team). Omit to search customers, deals and team members at once.",
    )
    text: str = Field(
        ...,
        min_length=1,
        max_length=200,
        description='The name as the user wrote it, e.g. "jane smith", '
        '"acme", "rental fleet". Typos and partial names are fine.',
    )
    limit: int = Field(5, ge=1, le=20, description="How many candidates to return, best first (default 5).")


class RecordCandidate(ToolModel):
    id: str
    kind: RecordKind
    label: str = Field(description="The record's name or title")
    detail: str = Field(
        description="What tells records with similar names apart: company, email, "
        "status; a deal's customer and stage"
    )
    score: float = Field(description="How well the text matches, 0 to 100: 100 is an exact match")


class FindRecordsOutput(ToolModel):
    kind: RecordKind | None
    text: str
    candidates: list[RecordCandidate] = Field(
        description="Best match first; several close scores mean the name is ambiguous"
    )


def score(text: str, fields: Iterable[str | None]) -> float:
    """100 when a field is exactly the text; otherwise how well each word of the text matches
    some word of the record (rapidfuzz's ratio, so typos count), averaged over the text's words
    and capped at 95: "hooli store fit-out" matches "Hooli - Store fit-out" (95) far better
    than "Hooli - Corporate gifts", although both are Hooli's."""
    query = default_process(text)
    words: set[str] = set()
    for value in fields:
        if not value:
            continue
        target = default_process(value)
        if target == query:
            return EXACT
        words.update(target.split())
    asked = [w for w in query.split() if len(w) > 1] or query.split()
    if not asked or not words:
        return 0.0
    found = [process.extractOne(w, words, scorer=fuzz.ratio) for w in asked]
    return round(min(CONTAINED, sum(f[1] if f else 0.0 for f in found) / len(asked)), 1)


def _rows(ctx: ToolContext, kind: str) -> list[tuple[str, str, str, list[str | None]]]:
    """(id, label, detail, searchable fields) of the caller's records of this kind."""
    session = ctx.session
    if kind == "customer":
        customers = (
            select(Customer.id, Customer.name, Customer.company, Customer.email, Customer.status)
            .order_by(Customer.updated_at.desc(), Customer.id)
            .limit(MAX_ROWS)
        )
        return [
            (i, n, " · ".join(x for x in (c, e, s) if x), [n, c, e])
            for i, n, c, e, s in session.execute(customers)
        ]
    if kind == "deal":
        deals = (
            select(Deal.id, Deal.title, Deal.stage, Customer.name, Customer.company)
            .outerjoin(Customer, Customer.id == Deal.customer_id)
            .order_by(Deal.updated_at.desc(), Deal.id)
            .limit(MAX_ROWS)
        )
        return [
            (i, t, " · ".join(x for x in (n, p.stage(s)) if x), [t, n, c])
            for i, t, s, n, c in session.execute(deals)
        ]
    if kind == "workspace":
        return [
            (m.tenant.id, m.tenant.name, f"your role: {m.role}", [m.tenant.name, m.tenant.slug])
            for m in tenancy.memberships_of(session, ctx.user_id)
        ]
    return [
        (u.id, u.full_name, f"{u.email} · {m.role}", [u.full_name, u.email])
        for m, u in tenancy.members_of(session, ctx.tenant_id)
    ]


@tool(
    name="find_records",
    toolset="crm",
    title="Find records by name",
    description="Find customers, deals, workspaces or team members by name, with typos and partial "
    "names allowed: returns the best candidates with their ids, a detail that tells them apart, and a "
    "match score (100 = exact). Use it to turn a name the user gave into the id another tool needs; "
    "when several candidates score alike, ask the user which one they meant.",
)
def find_records(ctx: ToolContext, args: FindRecordsInput) -> FindRecordsOutput:
    text = args.text.strip()
    scored = []
    kinds: tuple[RecordKind, ...] = (args.kind,) if args.kind else ("customer", "deal", "member")
    for kind in kinds:
        for rid, label, detail, fields in _rows(ctx, kind):
            value = EXACT if rid == text else score(text, fields)
            if value >= MIN_SCORE:
                scored.append(RecordCandidate(id=rid, kind=kind, label=label, detail=detail, score=value))
    scored.sort(key=lambda c: -c.score)  # stable: ties keep the most recently updated first
    return FindRecordsOutput(kind=args.kind, text=text, candidates=scored[: args.limit])


# --- language ----------------------------------------------------------------------------------

KIND_WORDS = {"customer": "customers", "deal": "deals", "workspace": "workspaces", "member": "team members"}


def _found(out: FindRecordsOutput, args: Mapping[str, Any]) -> str:
    noun = KIND_WORDS[out.kind] if out.kind else "customers, deals and team members"
    if not out.candidates:
        return f"I found nothing among your {noun} matching “{out.text}”."
    lines = [
        " — ".join(x for x in (c.label, c.kind if not out.kind else "", c.detail) if x)
        for c in out.candidates
    ]
    return f"Best matches among your {noun} for “{out.text}”:\n{p.bullets(lines)}"


declare(
    "find_records",
    ToolLanguage(
        examples=EXAMPLES["find_records"],
        phrase=p.typed(FindRecordsOutput, _found),
        synonyms={
            "kind": {
                "customer": (
                    "customer",
                    "customers",
                    "client",
                    "clients",
                    "contact",
                    "contacts",
                    "account",
                    "person",
                ),
                "deal": ("deal", "deals", "opportunity", "opportunities", "opp", "opps"),
                "workspace": ("workspace", "workspaces", "business", "organization", "org", "tenant"),
                "member": ("member", "team member", "teammate", "colleague", "user", "staff"),
            }
        },
        questions={"text": "What name should I look for?"},
    ),
)
