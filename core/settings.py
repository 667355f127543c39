"""Process-wide settings, read once from the environment (plain names, as operators expect)."""

from __future__ import annotations

import secrets
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def _default_secret(data: dict[str, Any]) -> str:
    """A stable per-install secret: tokens must survive a restart, so it is kept in the data folder."""
    data_dir = Path(data["data_dir"])
    path = data_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)  # the data is the business's: owner only
    key = secrets.token_urlsafe(48)
    path.write_text(key)
    path.chmod(0o600)
    return key


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    data_dir: Path = Field(
        default=Path("data"),
        description="SQLite files and the generated secret key; absolute when run from elsewhere "
        "(e.g. an MCP client launching `bizpilot mcp`).",
    )
    database_url: str = Field(default_factory=lambda d: f"sqlite:///{d['data_dir']}/bizpilot.db")
    checkpoint_url: str = Field(default_factory=lambda d: f"{d['data_dir']}/checkpoints.db")
    secret_key: str = Field(default_factory=_default_secret, min_length=32)
    port: int = 8000
    host: str = "127.0.0.1"
    public_url: str = ""

    access_token_ttl_seconds: int = 3600
    refresh_token_ttl_days: int = 30
    password_min_length: int = Field(8, ge=8, le=128, description="The shortest password accepted "
                                     "at registration and by `bizpilot set-password` (12 or more is "
                                     "recommended; the security score checks it).")
    argon2_time_cost: int = 3
    argon2_memory_cost: int = 65536
    argon2_parallelism: int = 4

    worker_threads: int = Field(4, ge=1, le=64, description="Threads for blocking work (see api.app).")
    redis_url: str = Field(
        default="",
        description="Redis for the job queue (several worker processes); empty: Huey's embedded SQLite "
        "queue in jobs_db, which needs no server.",
    )
    run_worker: bool = Field(
        default=True, description="Run a job worker inside the API process (`make run`); turn it off "
        "when `bizpilot worker` processes do the work.",
    )
    jobs_db: Path = Field(default_factory=lambda d: Path(d["data_dir"]) / "jobs.db",
                          description="The embedded job queue (when REDIS_URL is empty).")
    job_workers: int = Field(2, ge=1, le=64, description="Worker threads of the in-process job worker.")
    rate_limit_enabled: bool = True
    auth_rate_limit_per_minute: int = 10
    ai_rate_limit_per_minute: int = 30
    api_rate_limit_per_minute: int = 60000

    llm_provider: Literal["offline", "openai", "anthropic", "openai_compatible"] = "offline"
    llm_model: str = ""
    llm_base_url: str = ""
    llm_api_key: str = ""
    openai_api_key: str = ""
    anthropic_api_key: str = ""

    mcp_toolsets: str = "crm,analytics,admin"
    mcp_allowed_hosts: str = "127.0.0.1:*,localhost:*,[::1]:*,testserver"
    confirmation_ttl_seconds: int = 600

    outbound_allow_private: bool = Field(
        False, description="Let outbound calls (webhooks, connectors, schema detection) reach loopback, "
        "private and link-local addresses: for tests and local development only. Cloud metadata "
        "addresses stay refused.")
    outbound_timeout_seconds: float = Field(10, gt=0, le=300)
    outbound_max_response_bytes: int = Field(1_000_000, ge=1024)
    webhook_retry_hours: int = Field(24, ge=0, le=24 * 7, description="How long a failing webhook "
                                     "delivery is retried (with backoff) before it is marked failed.")
    webhook_retry_base_seconds: float = Field(10, gt=0, description="The first retry delay; each "
                                              "later one doubles, up to an hour.")
    ws_heartbeat_seconds: float = Field(15, gt=0, description="Heartbeat interval on /ws.")

    shopify_api_base: str = Field(
        "", description="Shopify Admin API origin; empty: https://<shop domain> (tests point it at "
        "a local server that speaks Shopify's wire format).")
    shopify_api_version: str = "2024-10"
    stripe_api_base: str = "https://api.stripe.com"
    hubspot_api_base: str = "https://api.hubapi.com"
    connector_page_size: int = Field(250, ge=1, le=250, description="Records asked for per page "
                                     "(each provider caps it: Shopify 250, Stripe and HubSpot 100).")
    connector_max_retries: int = Field(5, ge=0, le=20, description="Retries of a provider call "
                                       "answered 429 or 5xx, or failing on the network.")
    connector_max_retry_wait_seconds: float = Field(60, gt=0, description="The longest wait a "
                                                    "Retry-After header may impose on one retry.")
    credentials_key: str = Field("", description="Key for connector credentials at rest; empty: "
                                 "derived from SECRET_KEY.")
    credentials_previous_keys: str = Field(
        "", description="Comma-separated earlier CREDENTIALS_KEY values (or earlier SECRET_KEYs), "
        "still accepted for reading until `bizpilot rotate-credentials` re-encrypts with the current key.")
    sync_interval_minutes: int = Field(60, ge=0, le=7 * 24 * 60, description="Connected sources "
                                       "are synced incrementally this often (0: only on request).")
    sync_stale_hours: float = Field(24, gt=0, description="A source whose last successful sync is "
                                    "older than this is stale (freshness and trust signals).")

    smtp_host: str = Field("", description="SMTP server for automation e-mails; empty: e-mails are "
                           "written to the durable e-mail outbox (shown by the API) instead of sent.")
    smtp_port: int = Field(587, ge=1, le=65535)
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_from: str = Field("BizPilot <no-reply@localhost>", description="The From address of e-mails.")
    smtp_starttls: bool = Field(True, description="Upgrade the SMTP connection with STARTTLS first.")
    smtp_timeout_seconds: float = Field(20, gt=0, le=300)

    demo_email: str = "owner@northwind.example.com"
    demo_password: str = "DemoPass123!"

    @property
    def provider(self) -> str:
        """Which model provider runs: an explicit setting wins, else a configured key selects one."""
        if self.llm_provider != "offline":
            return self.llm_provider
        if self.openai_api_key:
            return "openai"
        if self.anthropic_api_key:
            return "anthropic"
        return "offline"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
