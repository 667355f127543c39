"""A throwaway PostgreSQL server for the test suite, started from the machine's own binaries.

`python tests/postgres.py ensure-server` (run by `make test`) installs the server package when no
binaries are found (Debian's `postgresql`, as root). `start()` initialises a cluster in a temp
folder on a free loopback port with trust auth and returns its URL; `stop()` shuts it down.
PostgreSQL refuses to run as root, so as root the cluster runs as the `postgres` system user.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path


def bin_dir() -> Path | None:
    found = shutil.which("pg_ctl")
    if found:
        return Path(os.path.realpath(found)).parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), reverse=True)
    return Path(candidates[0]).parent if candidates else None


def ensure_server() -> int:
    if bin_dir() is not None:
        print(f"postgres binaries: {bin_dir()}")
        return 0
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        print("postgres binaries not found and cannot install them (need root and apt-get)")
        return 0
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", "postgresql"], check=True, env=env)
    print(f"installed postgres: {bin_dir()}")
    return 0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_owner(cmd: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *cmd]
    return cmd


@dataclass
class Server:
    url: str
    data_dir: Path
    bin_dir: Path

    def stop(self) -> None:
        subprocess.run(_as_owner([str(self.bin_dir / "pg_ctl"), "-D", str(self.data_dir), "-m",
                                  "immediate", "stop"]), capture_output=True, check=False)
        shutil.rmtree(self.data_dir.parent, ignore_errors=True)


def create_database(server: Server) -> str:
    """A new, empty database on `server`; returns its URL."""
    import uuid

    import sqlalchemy as sa

    name = f"bizpilot_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(server.url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return server.url.rsplit("/", 1)[0] + f"/{name}"


def start() -> Server:
    bins = bin_dir()
    if bins is None:
        raise RuntimeError("PostgreSQL binaries not found: run `make test` (it installs them)")
    root = Path(tempfile.mkdtemp(prefix="bizpilot-pg-"))
    data = root / "data"
    data.mkdir()
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
        shutil.chown(data, "postgres")
    port = _free_port()
    subprocess.run(_as_owner([str(bins / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust",
                              "-E", "UTF8", "--no-sync"]), check=True, capture_output=True)
    options = (f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off "
               "-c synchronous_commit=off -c full_page_writes=off")
    subprocess.run(_as_owner([str(bins / "pg_ctl"), "-D", str(data), "-o", options, "-l",
                              str(root / "log"), "-w", "start"]), check=True, capture_output=True)
    return Server(f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres", data, bins)


if __name__ == "__main__":
    if sys.argv[1:] == ["ensure-server"]:
        sys.exit(ensure_server())
    sys.exit("usage: tests/postgres.py ensure-server")
