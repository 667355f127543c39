"""The demo tenant: a small outdoor-gear business with two years of daily orders (trend, weekly
and yearly seasonality, noise), customers in every lifecycle status, a deal pipeline, a team
with and without MFA, and a marketing funnel with known lags (store.demo_metrics). Deterministic
(seeded RNG) and idempotent: a second run only tops up orders and metrics to yesterday, so a demo
started weeks later still has recent data."""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from core.ids import new_id, utcnow
from store import demo_automations, demo_buyers, demo_metrics, demo_sources
from store.models import Customer, Deal, Membership, Order, Tenant, User

DEMO_SLUG = "northwind-outfitters"
DEMO_NAME = "Northwind Outfitters"
FIRST = ["Jane", "John", "Maria", "Wei", "Aisha", "Carlos", "Emma", "Liam", "Olivia", "Noah",
         "Sofia", "Lucas", "Mia", "Ethan", "Ava", "Mateo", "Zoe", "Arjun", "Hannah", "Yuki",
         "Fatima", "Diego", "Chloe", "Omar", "Grace", "Ivan", "Leila", "Tom", "Nina", "Sam"]
LAST = ["Smith", "Johnson", "Garcia", "Chen", "Khan", "Lopez", "Brown", "Miller", "Davis",
        "Wilson", "Martinez", "Anderson", "Taylor", "Thomas", "Moore", "Jackson", "Martin",
        "Lee", "Perez", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Nguyen"]
COMPANIES = ["Acme Corp", "Globex", "Initech", "Umbrella Outdoor", "Stark Supplies", "Wayne Retail",
             "Tech Corp", "Hooli", "Vandelay Imports", "Soylent Foods", "Pied Piper", "Wonka Goods",
             "Cyberdyne", "Gringotts Travel", "Oscorp", "Blue Sun", "Tyrell Trading",
             "Monarch Camping", "Aperture Labs", "Massive Dynamic", None, None, None, None]
DEAL_TITLES = ["Annual supply contract", "Team uniforms", "Store fit-out", "Wholesale order",
               "Event sponsorship", "Corporate gifts", "Rental fleet", "Expedition kit",
               "Enterprise license", "Seasonal restock"]
STATUS_WEIGHTS = {"active": 55, "lead": 18, "prospect": 10, "inactive": 9, "churned": 8}
STAGES = [("lead", 10), ("qualified", 25), ("proposal", 50), ("negotiation", 75),
          ("closed_won", 100), ("closed_lost", 0)]
TEAM = [("owner", "Olivia", "Hart", "admin", False), ("analyst", "Ben", "Ortiz", "analyst", False),
        ("staff", "Priya", "Shah", "user", False), ("sales", "Marco", "Rossi", "user", False)]


def seed(session: Session, *, email: str, password_hash: Callable[[str], str], password: str,
         today: date | None = None) -> Tenant:
    today = today or utcnow().date()
    tenant = session.scalar(select(Tenant).where(Tenant.slug == DEMO_SLUG))
    if tenant is None:
        tenant = _create(session, email, password_hash(password), today)
    _top_up_orders(session, tenant.id, today)
    demo_metrics.seed_metrics(session, tenant.id, today)  # the funnel the simulator fits
    demo_automations.seed_automations(session, tenant.id, tenant.owner_id,
                                      datetime.combine(today, time(8), tzinfo=UTC))
    demo_sources.seed_sources(session, tenant.id,
                              min(utcnow(), datetime.combine(today, time(23, 59), tzinfo=UTC)))
    return tenant


def _create(session: Session, email: str, pw_hash: str, today: date) -> Tenant:
    rng = random.Random(20240101)
    now = datetime.combine(today, time(9), tzinfo=UTC)
    tenant = Tenant(name=DEMO_NAME, slug=DEMO_SLUG, plan="professional",
                    created_at=now - timedelta(days=730), updated_at=now)
    session.add(tenant)
    session.flush()
    domain = email.split("@", 1)[1]
    for handle, first, last, role, mfa in TEAM:
        address = email if handle == "owner" else f"{handle}@{domain}"
        user = session.scalar(select(User).where(User.email == address))
        if user is None:
            user = User(email=address, password_hash=pw_hash, first_name=first, last_name=last,
                        email_verified=True, mfa_enabled=mfa, default_tenant_id=tenant.id)
            session.add(user)
            session.flush()
        session.add(Membership(user_id=user.id, tenant_id=tenant.id, role=role))
        if handle == "owner":
            tenant.owner_id = user.id
    customers = _customers(session, tenant.id, rng, now)
    _deals(session, tenant.id, rng, now, customers, tenant.owner_id)
    session.flush()
    return tenant


def _customers(session: Session, tenant_id: str, rng: random.Random,
               now: datetime) -> list[Customer]:
    rows = []
    statuses = list(STATUS_WEIGHTS)
    weights = list(STATUS_WEIGHTS.values())
    for i in range(240):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        company = rng.choice(COMPANIES)
        created = now - timedelta(days=rng.randint(0, 720), hours=rng.randint(0, 23))
        status = rng.choices(statuses, weights)[0]
        updated = created + (now - created) * rng.random()
        rows.append(Customer(
            id=new_id(), tenant_id=tenant_id, name=f"{first} {last}",
            email=f"{first}.{last}.{i}@example.com".lower(),
            phone=f"+1555{rng.randint(1000000, 9999999)}", company=company, status=status,
            tags=rng.sample(["retail", "wholesale", "vip", "newsletter", "b2b"], rng.randint(0, 2)),
            custom_fields={"source": rng.choice(["web", "referral", "trade show", "shopify"])},
            created_at=created, updated_at=updated, status_changed_at=updated,
        ))
    session.add_all(rows)
    session.flush()
    return rows


def _deals(session: Session, tenant_id: str, rng: random.Random, now: datetime,
           customers: list[Customer], owner_id: str | None) -> None:
    with_company = [c for c in customers if c.company]
    acme = next(c for c in with_company if c.company == "Acme Corp")
    others = [c for c in with_company if c.company != "Acme Corp"]
    for i in range(64):
        customer = acme if i == 0 else rng.choice(others)
        stage, probability = STAGES[1] if i == 0 else rng.choice(STAGES)
        created = now - timedelta(days=rng.randint(1, 300))
        closed = stage.startswith("closed")
        value = Decimal(rng.choice([2500, 4800, 7500, 12000, 15000, 18500, 24000, 32000, 45000,
                                    60000, 85000]) + rng.randint(0, 40) * 25)
        session.add(Deal(
            tenant_id=tenant_id, customer_id=customer.id,
            title=f"{customer.company} - {DEAL_TITLES[i % len(DEAL_TITLES)]}",
            value=value, stage=stage, probability=probability, assigned_to=owner_id,
            expected_close_date=(now + timedelta(days=rng.randint(7, 120))).date(),
            closed_at=created + timedelta(days=rng.randint(5, 60)) if closed else None,
            created_at=created, updated_at=created,
        ))


def daily_mean(day: date, start: date) -> float:
    """Expected order count: growing trend, weekend peak, summer and December peaks."""
    t = (day - start).days
    trend = 18 + t * 0.02
    weekly = {5: 1.35, 6: 1.25, 0: 0.85}.get(day.weekday(), 1.0)
    yearly = 1 + 0.25 * math.sin(2 * math.pi * (day.timetuple().tm_yday - 100) / 365.25)
    december = 1.3 if day.month == 12 and day.day < 24 else 1.0
    return trend * weekly * yearly * december


def _top_up_orders(session: Session, tenant_id: str, today: date) -> None:
    start = today - timedelta(days=730)
    last = session.scalar(select(func.max(Order.ordered_at)).where(Order.tenant_id == tenant_id))
    first_day = last.date() + timedelta(days=1) if last else start
    if first_day >= today:
        return
    customer_ids = list(session.scalars(
        select(Customer.id).where(Customer.tenant_id == tenant_id, Customer.status != "lead")))
    created = session.scalar(select(Tenant.created_at).where(Tenant.id == tenant_id))
    anchor = (created.date() + timedelta(days=730)) if created else today
    picker = demo_buyers.Picker(demo_buyers.buyers(session, tenant_id), anchor, first_day.toordinal())
    rng = random.Random(first_day.toordinal())
    rows = []
    day = first_day
    while day < today:
        for _ in range(_poisson(rng, daily_mean(day, start))):
            at = datetime.combine(day, time(0), tzinfo=UTC) + timedelta(seconds=rng.randint(0, 86399))
            total = round(max(8.0, rng.lognormvariate(4.1, 0.55)), 2)
            if customer_ids:
                rng.choice(customer_ids)  # kept: the same draws, so the same totals as before
            rows.append({
                "id": new_id(), "tenant_id": tenant_id,
                "customer_id": picker.pick(day),
                "total": Decimal(str(total)), "currency": "USD",
                "status": "refunded" if rng.random() < 0.03 else "paid",
                "source": rng.choices(["shopify", "stripe", "manual"], [70, 25, 5])[0],
                "ordered_at": at,
            })
        day += timedelta(days=1)
    for i in range(0, len(rows), 5000):
        session.execute(insert(Order), rows[i:i + 5000])


def _poisson(rng: random.Random, mean: float) -> int:
    """Knuth's method is slow for large means; a rounded normal is fine above 30."""
    if mean > 30:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, k, p = math.exp(-mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1
