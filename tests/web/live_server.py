"""A real SpasmCare server process on a free loopback port, for browser tests, fault
tests and benchmarks. It can be killed (SIGKILL) and started again on the same port."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def new_api_token(account_page: str) -> str:
    """The token the account page shows once after creating it. Read from its own element:
    a random CSRF token elsewhere on the page can contain "sc_" too."""
    found = re.search(r'<code class="token">\s*(sc_[^<\s]+)\s*</code>', account_page)
    if found is None:
        raise AssertionError("no new API token on the account page")
    return found.group(1)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class ServerProcess:
    def __init__(self, database_url: str, data_dir: Path, workers: int = 1) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.workers = workers
        self.data_dir = data_dir
        self.env = {
            **os.environ,
            "SPASMCARE_DATABASE_URL": database_url,
            "SPASMCARE_DATA_DIR": str(data_dir),
        }
        self.process: subprocess.Popen[bytes] | None = None
        self.log_path = data_dir / "server.log"

    def start(self, timeout: float = 60) -> None:
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "spasmcare", "serve", "--port", str(self.port),
             "--workers", str(self.workers)],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so a kill reaches the workers
        )  # fmt: skip
        log.close()
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(f"{self.base}/healthz", timeout=1) as response:
                    if response.status == 200:
                        return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        f"the server did not start: {self.log_path.read_text()}"
                    ) from None
                time.sleep(0.1)

    def kill(self) -> None:
        """SIGKILL the whole process group: no shutdown code runs."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()


@contextmanager
def running_server(database_url: str, data_dir: Path, workers: int = 1) -> Iterator[str]:
    """Start `spasmcare serve` and yield its base URL once /healthz answers."""
    server = ServerProcess(database_url, data_dir, workers)
    server.start()
    try:
        yield server.base
    finally:
        server.stop()
