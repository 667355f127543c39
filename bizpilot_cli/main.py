"""`bizpilot serve | migrate | seed | api-key | mcp | chat | eval`.

Heavy modules are imported inside each command so `bizpilot --help` and `bizpilot mcp` start fast.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys


def _migrate() -> None:
    from store.migrate import upgrade

    upgrade()


def _seed() -> str:
    from core.settings import get_settings
    from store import demo
    from store.db import unit_of_work
    from tools.identity.passwords import hash_password

    settings = get_settings()
    with unit_of_work() as session:
        tenant = demo.seed(session, email=settings.demo_email, password_hash=hash_password,
                           password=settings.demo_password)
        return tenant.id


def cmd_migrate(_args: argparse.Namespace) -> None:
    _migrate()
    print("database migrated")


def cmd_seed(_args: argparse.Namespace) -> None:
    _migrate()
    tenant_id = _seed()
    print(f"demo tenant ready: {tenant_id}")


def cmd_serve(args: argparse.Namespace) -> None:
    import uvicorn

    from core.settings import get_settings

    settings = get_settings()
    _migrate()
    if not args.no_seed:
        tenant_id = _seed()
        print(
            f"\nBizPilot demo tenant {tenant_id}\n"
            f"  login:    {settings.demo_email}\n"
            f"  password: {settings.demo_password}\n",
            flush=True,
        )
    host = args.host or os.environ.get("HOST", "0.0.0.0")
    port = args.port or settings.port
    print(f"Serving on http://{host}:{port}  (REST /api, chat /v1, MCP /mcp, docs /docs)",
          flush=True)
    uvicorn.run("api.app:create_app", factory=True, host=host, port=port, log_level="info",
                workers=args.workers)


def cmd_api_key(args: argparse.Namespace) -> None:
    from core.settings import get_settings
    from store.db import unit_of_work
    from store.repositories import tenancy
    from tools.identity import tokens

    email = args.email or get_settings().demo_email
    with unit_of_work() as session:
        user = tenancy.user_by_email(session, email)
        if user is None:
            sys.exit(f"no user {email}")
        memberships = tenancy.memberships_of(session, user.id)
        tenant_id = args.tenant or (memberships[0].tenant_id if memberships else None)
        if tenant_id is None or tenancy.membership(session, user.id, tenant_id) is None:
            sys.exit(f"{email} is not a member of that tenant")
        _row, raw = tokens.new_api_key(session, tenant_id, user.id, args.name)
    print(raw)


def cmd_mcp(_args: argparse.Namespace) -> None:
    from mcp_server.stdio import run

    run()


def cmd_chat(args: argparse.Namespace) -> None:
    from agent.terminal import run

    run(email=args.email, conversation_id=args.conversation)


def cmd_eval(args: argparse.Namespace) -> None:
    from evals.runner import main as run_evals

    sys.exit(run_evals(verbose=args.verbose))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="bizpilot", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="migrate, seed the demo tenant and serve everything")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.add_argument("--workers", type=int, default=1)
    serve.add_argument("--no-seed", action="store_true")
    serve.set_defaults(fn=cmd_serve)
    sub.add_parser("migrate", help="apply database migrations").set_defaults(fn=cmd_migrate)
    sub.add_parser("seed", help="create or top up the demo tenant").set_defaults(fn=cmd_seed)
    key = sub.add_parser("api-key", help="create an API key (for MCP over stdio)")
    key.add_argument("--email")
    key.add_argument("--tenant")
    key.add_argument("--name", default="cli")
    key.set_defaults(fn=cmd_api_key)
    sub.add_parser("mcp", help="serve MCP over stdio (BIZPILOT_TOKEN or BIZPILOT_API_KEY)"
                   ).set_defaults(fn=cmd_mcp)
    chat = sub.add_parser("chat", help="chat with the assistant in the terminal")
    chat.add_argument("--email", help="act as this user (default: the demo owner)")
    chat.add_argument("--conversation", help="resume this conversation id")
    chat.set_defaults(fn=cmd_chat)
    ev = sub.add_parser("eval", help="score the agent on evals/datasets")
    ev.add_argument("-v", "--verbose", action="store_true")
    ev.set_defaults(fn=cmd_eval)
    return parser


def main(argv: list[str] | None = None) -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    args = build_parser().parse_args(argv)
    args.fn(args)


if __name__ == "__main__":
    main()
