"""Checks a command makes before it starts: is it safe to serve on this address, and does
`bizpilot mcp` know which install it belongs to. The decisions are pure functions of what was
gathered, so they can be tested without a server or a database.

Nothing here may read `get_settings()` on its own: the first read creates the data folder (to
keep the generated secret key), which is exactly what `mcp_location_problem` must prevent.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from core.settings import Settings

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

PUBLISHED_DEMO_PASSWORD: str = Settings.model_fields["demo_password"].default  # in the README
LOCAL_NAMES = frozenset({"localhost"})
MCP_LOCATION_EXIT_CODE = 2


# --- serving on a reachable address ------------------------------------------------------------


def is_loopback(host: str) -> bool:
    """127.0.0.0/8, ::1 or "localhost": reachable from this machine only. Anything else, a name
    included (it may resolve to a public address), counts as reachable from others."""
    name = host.strip().strip("[]").lower()
    if name in LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def exposure_refusal(host: str, existing: Sequence[str], to_seed: Sequence[str] = ()) -> str | None:
    """Why `bizpilot serve` must not start on `host`, or None when it may. It refuses only when
    the address is reachable from other machines *and* some demo account can be logged into with
    the password published in the README: `existing` accounts that still have it, or the
    accounts `to_seed` that seeding the demo tenant now would give it."""
    if is_loopback(host) or not (existing or to_seed):
        return None
    lines = [f"Refusing to serve on {host}, an address other machines can reach:"]
    if existing:
        lines.append(f"  {_accounts(existing)} still {'has' if len(existing) == 1 else 'have'} the "
                     f"published demo password ({PUBLISHED_DEMO_PASSWORD}); anyone could log in.")
    if to_seed:
        lines.append(f"  seeding the demo tenant now would give {_accounts(to_seed)} the published "
                     f"demo password ({PUBLISHED_DEMO_PASSWORD}); anyone could log in.")
    lines.append("Fix it in one of these ways, then start again:")
    if to_seed:
        lines += ["  - set DEMO_PASSWORD to a private password (it applies when the demo tenant is",
                  "    created, so set it before this first start, in the environment or .env);",
                  "  - or create the demo tenant with `bizpilot seed`, then change the passwords:",
                  *(f"      bizpilot set-password --email {email}" for email in to_seed)]
    if existing:
        lines += ["  - change the password (asked for, or read from stdin with --password-stdin;",
                  "    DEMO_PASSWORD no longer applies once the demo tenant exists):",
                  *(f"      bizpilot set-password --email {email}" for email in existing)]
    if to_seed and not existing:
        lines.append("  - or serve without the demo tenant: `bizpilot serve --no-seed`;")
    lines.append("  - or listen on this machine only: leave HOST unset (127.0.0.1), or --host 127.0.0.1.")
    return "\n".join(lines)


def _accounts(emails: Sequence[str]) -> str:
    if len(emails) == 1:
        return f"the demo account {emails[0]}"
    return "the demo accounts " + ", ".join(emails)


def demo_accounts(settings: Settings) -> list[str]:
    """The addresses `store.demo.seed` gives the demo team: the owner, then handle@owner's domain."""
    from store import demo

    domain = settings.demo_email.split("@", 1)[1]
    return [settings.demo_email if handle == "owner" else f"{handle}@{domain}"
            for handle, *_rest in demo.TEAM]


def published_password_accounts(session: Session, settings: Settings,
                                *, seeding: bool) -> tuple[list[str], list[str]]:
    """(the active accounts that can log in with the published demo password now: the demo
    tenant's members and the demo owner address; the accounts seeding would create with it, when
    there is no demo tenant yet, this start seeds one, and DEMO_PASSWORD is the published one)."""
    from sqlalchemy import select

    from store import demo
    from store.models import Tenant
    from store.repositories import tenancy
    from tools.identity.passwords import verify_password

    tenant = session.scalar(select(Tenant).where(Tenant.slug == demo.DEMO_SLUG))
    users = [u for _m, u in tenancy.members_of(session, tenant.id)] if tenant is not None else []
    owner = tenancy.user_by_email(session, settings.demo_email)
    if owner is not None and all(u.id != owner.id for u in users):
        users.insert(0, owner)
    existing = [u.email for u in users
                if u.is_active and verify_password(u.password_hash, PUBLISHED_DEMO_PASSWORD)]
    to_seed: list[str] = []
    if tenant is None and seeding and settings.demo_password == PUBLISHED_DEMO_PASSWORD:
        # seeding keeps the password of an account that already exists
        to_seed = [e for e in demo_accounts(settings) if tenancy.user_by_email(session, e) is None]
    return existing, to_seed


# --- where `bizpilot mcp` finds its install ----------------------------------------------------


def _configured(name: str, env: Mapping[str, str], cwd: Path) -> bool:
    """Set in the environment or in ./.env (which Settings also reads), case-insensitively as
    Settings matches names."""
    if any(k.upper() == name and v.strip() for k, v in env.items()):
        return True
    dotenv = cwd / ".env"
    if not dotenv.is_file():
        return False
    from dotenv import dotenv_values

    return any(k.upper() == name and (v or "").strip() for k, v in dotenv_values(dotenv).items())


def mcp_location_problem(env: Mapping[str, str] | None = None, cwd: Path | None = None) -> str | None:
    """Why `bizpilot mcp` cannot tell which install it serves, or None. MCP clients start it in a
    folder of their choosing (often the home folder), where the default `DATA_DIR=data` would
    create an empty stray folder, a new secret key and no database. Known: DATA_DIR is set, or
    DATABASE_URL and SECRET_KEY both are (nothing then lives in the data folder), or ./data
    holds an install."""
    env = os.environ if env is None else env
    cwd = Path.cwd() if cwd is None else cwd
    if _configured("DATA_DIR", env, cwd):
        return None
    if _configured("DATABASE_URL", env, cwd) and _configured("SECRET_KEY", env, cwd):
        return None
    if (cwd / "data" / "bizpilot.db").is_file():
        return None
    return (
        f"bizpilot mcp: DATA_DIR is not set and there is no BizPilot database in {cwd / 'data'}.\n"
        "MCP clients start `bizpilot mcp` in a folder of their own choosing, so tell it where your\n"
        "BizPilot install keeps its data: in the MCP client's config, next to BIZPILOT_API_KEY, set\n"
        "DATA_DIR to the absolute path of the install's data folder, for example\n"
        '  "env": {"BIZPILOT_API_KEY": "bp_...", "DATA_DIR": "/path/to/bizpilot/data"}\n'
        "(or set DATABASE_URL and SECRET_KEY to the server's own values)."
    )
