"""`bizpilot serve | worker | migrate | seed | api-key | set-password | rotate-credentials | mcp | chat
| eval`.

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

    from bizpilot_cli import preflight
    from core.settings import get_settings
    from store.db import unit_of_work

    settings = get_settings()
    host = args.host or settings.host
    port = args.port or settings.port
    _migrate()
    if not preflight.is_loopback(host):  # checked before seeding, so DEMO_PASSWORD can still apply
        with unit_of_work() as session:
            existing, to_seed = preflight.published_password_accounts(session, settings,
                                                                      seeding=not args.no_seed)
        refusal = preflight.exposure_refusal(host, existing, to_seed)
        if refusal:
            sys.exit(refusal)
    if not args.no_seed:
        tenant_id = _seed()
        print(
            f"\nBizPilot demo tenant {tenant_id}\n"
            f"  login:    {settings.demo_email}\n"
            f"  password: {_demo_password_hint()}\n",
            flush=True,
        )
    print(f"Serving on http://{host}:{port}  (REST /api, chat /v1, MCP /mcp, docs /docs)",
          flush=True)
    uvicorn.run("api.app:create_app", factory=True, host=host, port=port, log_level="info",
                workers=args.workers)


def cmd_worker(args: argparse.Namespace) -> None:
    """Run jobs in this process: any number of these over one Redis (REDIS_URL) and one database
    run each job once. Without REDIS_URL they share the embedded queue file (one machine)."""
    from core.settings import get_settings
    from core.threads import limit_blas_threads
    from tools.jobs import worker

    limit_blas_threads()
    settings = get_settings()
    queue = "Redis" if settings.redis_url else f"the embedded queue {settings.jobs_db}"
    print(f"BizPilot worker: {args.workers} thread(s) on {queue}; stop with Ctrl-C", flush=True)
    logging.getLogger("bizpilot").setLevel(logging.INFO)
    worker.run(workers=args.workers, modules=args.imports or ())


def _demo_password_hint() -> str:
    """The demo password while it still works; never a stale one after `set-password`."""
    from core.settings import get_settings
    from store.db import unit_of_work
    from store.repositories import tenancy
    from tools.identity.passwords import verify_password

    settings = get_settings()
    with unit_of_work() as session:
        owner = tenancy.user_by_email(session, settings.demo_email)
        if owner is not None and verify_password(owner.password_hash, settings.demo_password):
            return settings.demo_password
    return "(changed since the demo was seeded, e.g. with `bizpilot set-password`)"


def new_password(raw: str) -> str:
    """The rule registration applies (the register body's `password`: surrounding whitespace
    stripped, then tools.identity.passwords' policy), and never the published demo password."""
    from bizpilot_cli.preflight import PUBLISHED_DEMO_PASSWORD
    from tools.identity.passwords import policy_problem

    password = raw.strip()
    problem = policy_problem(password)
    if problem:
        raise ValueError(problem)
    if password == PUBLISHED_DEMO_PASSWORD:
        raise ValueError("that is the published demo password; choose a private one")
    return password


def _read_password(from_stdin: bool) -> str:
    """From stdin (one line) when asked or when stdin is not a terminal, else asked twice."""
    if from_stdin or not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    import getpass

    first = getpass.getpass("New password: ")
    if getpass.getpass("Repeat it: ") != first:
        sys.exit("the two passwords differ; nothing was changed")
    return first


def cmd_set_password(args: argparse.Namespace) -> None:
    from store.db import unit_of_work
    from store.repositories import tenancy
    from tools.identity import service

    with unit_of_work() as session:
        if tenancy.user_by_email(session, args.email) is None:
            sys.exit(f"no user {args.email}")
    try:
        password = new_password(_read_password(args.password_stdin))
    except ValueError as err:
        sys.exit(f"{err}; nothing was changed")
    with unit_of_work() as session:
        signed_out = service.set_password(session, args.email, password)
    print(f"password changed for {args.email.strip().lower()}; {signed_out} refresh token(s) revoked "
          "(their sessions are signed out); API keys keep working")


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


def cmd_rotate_credentials(_args: argparse.Namespace) -> None:
    """Re-encrypt every connection's credentials with the current CREDENTIALS_KEY (the old key
    listed in CREDENTIALS_PREVIOUS_KEYS until this has run); then the old key can be dropped."""
    from sqlalchemy import select

    from core.ids import utcnow
    from store.db import unit_of_work
    from store.models import Connection
    from tools.connectors import vault

    rotated, unreadable = 0, []
    with unit_of_work() as session:
        for conn in session.scalars(select(Connection).where(Connection.credentials_encrypted.is_not(None))):
            try:
                conn.credentials_encrypted = vault.rotate(conn.credentials_encrypted or "")
            except vault.CredentialsUnreadable:
                unreadable.append(conn.id)
                continue
            conn.credentials_rotated_at = utcnow()
            rotated += 1
    print(f"re-encrypted the credentials of {rotated} connection(s) with the current key")
    if unreadable:
        sys.exit(f"{len(unreadable)} connection(s) use a key that is not configured (add it to "
                 f"CREDENTIALS_PREVIOUS_KEYS and run again, or reconnect them): {', '.join(unreadable)}")


def cmd_mcp(_args: argparse.Namespace) -> None:
    from bizpilot_cli.preflight import MCP_LOCATION_EXIT_CODE, mcp_location_problem

    problem = mcp_location_problem()  # before anything reads settings (that creates ./data)
    if problem:
        print(problem, file=sys.stderr)
        sys.exit(MCP_LOCATION_EXIT_CODE)
    from mcp_server.stdio import run

    run()


def cmd_chat(args: argparse.Namespace) -> None:
    url = args.url or os.environ.get("BIZPILOT_URL", "").strip()
    if url:
        if args.email:
            sys.exit("--email is for chatting with the local database; against a server the token "
                     "says who you are")
        token = (args.token or os.environ.get("BIZPILOT_API_KEY", "").strip()
                 or os.environ.get("BIZPILOT_TOKEN", "").strip())  # as `bizpilot mcp` reads them
        if not token:
            sys.exit("chat --url needs a credential: --token (or BIZPILOT_API_KEY / BIZPILOT_TOKEN) "
                     "with an access token from POST /api/auth/login or an API key from "
                     "`bizpilot api-key` run on the server")
        from agent import remote_chat

        remote_chat.run(url, token, conversation_id=args.conversation, verbose=args.verbose)
        return
    if args.token:
        sys.exit("--token needs --url (or BIZPILOT_URL): the local chat needs no credential")
    from agent.terminal import run

    run(email=args.email, conversation_id=args.conversation, verbose=args.verbose)


def cmd_eval(args: argparse.Namespace) -> None:
    if args.suite == "forecast":
        from evals.forecasting import main as run_forecast_eval

        argv = ["--json", args.json] if args.json else []
        sys.exit(run_forecast_eval(argv + (["--limit", str(args.limit)] if args.limit else [])))
    from evals.runner import main as run_evals

    sys.exit(run_evals(verbose=args.verbose, dataset=args.dataset, runs=args.runs, json_path=args.json))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="bizpilot", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="migrate, seed the demo tenant and serve everything")
    serve.add_argument("--host", help="address to listen on (default: HOST, else 127.0.0.1)")
    serve.add_argument("--port", type=int, help="default: PORT, else 8000")
    serve.add_argument("--workers", type=int, default=1)
    serve.add_argument("--no-seed", action="store_true", help="do not create the demo tenant")
    serve.set_defaults(fn=cmd_serve)
    work = sub.add_parser("worker", help="run background jobs (webhooks, events, schedules) in "
                          "this process; several may run at once")
    work.add_argument("--workers", type=int, default=2, help="worker threads (default 2)")
    work.add_argument("--import", dest="imports", action="append", metavar="MODULE",
                      help="also import this module (it may register jobs or event subscribers); "
                      "repeatable")
    work.set_defaults(fn=cmd_worker)
    sub.add_parser("migrate", help="apply database migrations").set_defaults(fn=cmd_migrate)
    sub.add_parser("seed", help="create or top up the demo tenant").set_defaults(fn=cmd_seed)
    key = sub.add_parser("api-key", help="create an API key (for MCP over stdio)")
    key.add_argument("--email")
    key.add_argument("--tenant")
    key.add_argument("--name", default="cli")
    key.set_defaults(fn=cmd_api_key)
    pw = sub.add_parser("set-password", help="set a user's password (signs out their sessions)")
    pw.add_argument("--email", required=True)
    pw.add_argument("--password-stdin", action="store_true",
                    help="read the password from stdin instead of asking for it")
    pw.set_defaults(fn=cmd_set_password)
    sub.add_parser("rotate-credentials", help="re-encrypt connector credentials with the current "
                   "CREDENTIALS_KEY").set_defaults(fn=cmd_rotate_credentials)
    sub.add_parser("mcp", help="serve MCP over stdio (BIZPILOT_TOKEN or BIZPILOT_API_KEY)"
                   ).set_defaults(fn=cmd_mcp)
    chat = sub.add_parser("chat", help="chat with the assistant in the terminal (local, or --url)")
    chat.add_argument("--url", help="a running BizPilot server (default: BIZPILOT_URL); without it "
                      "the chat uses the local database")
    chat.add_argument("--token", help="with --url: an access token or bp_ API key "
                      "(default: BIZPILOT_API_KEY, else BIZPILOT_TOKEN)")
    chat.add_argument("--email", help="local chat: act as this user (default: the demo owner)")
    chat.add_argument("--conversation", help="resume this conversation id")
    chat.add_argument("-v", "--verbose", action="store_true", help="show the tools each answer ran")
    chat.set_defaults(fn=cmd_chat)
    ev = sub.add_parser("eval", help="score the agent on evals/datasets")
    ev.add_argument("-v", "--verbose", action="store_true", help="list failing cases and retrieval misses")
    ev.add_argument("--dataset", default="all", help="heldout, crm or all (default: each, separately)")
    ev.add_argument("--runs", type=int, default=4, help="runs per case, for pass^k (default 4)")
    ev.add_argument("--json", metavar="PATH", help="also write the figures to this JSON file")
    ev.add_argument("--suite", choices=("agent", "forecast"), default="agent",
                    help="agent (default) or forecast: the forecasting engine on M3")
    ev.add_argument("--limit", type=int, help="forecast suite: first N series per frequency")
    ev.set_defaults(fn=cmd_eval)
    return parser


def main(argv: list[str] | None = None) -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    args = build_parser().parse_args(argv)
    args.fn(args)


if __name__ == "__main__":
    main()
