"""A throwaway Redis server for the test suite, started from the machine's own binary.

`python tests/redis_server.py ensure-server` (run by `make test`) installs Debian's
`redis-server` package when the binary is missing (as root, with apt-get). `start()` runs a
server with no persistence on a free loopback port in a temp folder and returns its URL;
`stop()` shuts it down.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path


def binary() -> str | None:
    return shutil.which("redis-server") or next(
        (p for p in ("/usr/bin/redis-server", "/usr/sbin/redis-server") if os.path.exists(p)), None)


def ensure_server() -> int:
    if binary() is not None:
        print(f"redis-server: {binary()}")
        return 0
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        print("redis-server not found and cannot install it (need root and apt-get)")
        return 0
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "redis-server"]
    if subprocess.run(install, env=env, capture_output=True).returncode != 0:
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
        subprocess.run(install, check=True, env=env)
    print(f"installed redis-server: {binary()}")
    return 0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    url: str
    root: Path
    process: subprocess.Popen[bytes]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.root, ignore_errors=True)


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def start() -> Server:
    exe = binary()
    if exe is None:
        raise RuntimeError("redis-server not found: run `make test` (it installs it)")
    root = Path(tempfile.mkdtemp(prefix="bizpilot-redis-"))
    port = _free_port()
    process = subprocess.Popen(
        [exe, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(root), "--save", "",
         "--appendonly", "no", "--daemonize", "no", "--loglevel", "warning",
         "--logfile", str(root / "redis.log")],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 15
    while time.time() < deadline:
        if _answers(port):
            return Server(f"redis://127.0.0.1:{port}/0", root, process)
        if process.poll() is not None:
            break
        time.sleep(0.05)
    process.kill()
    log = (root / "redis.log").read_text() if (root / "redis.log").exists() else ""
    shutil.rmtree(root, ignore_errors=True)
    raise RuntimeError(f"redis-server did not start: {log[-2000:]}")


if __name__ == "__main__":
    if sys.argv[1:] == ["ensure-server"]:
        sys.exit(ensure_server())
    sys.exit("usage: tests/redis_server.py ensure-server")
