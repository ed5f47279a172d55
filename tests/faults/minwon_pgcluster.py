"""A PRIVATE PostgreSQL server for fault tests: its own data directory (initdb), its own
free loopback port, stopped and started by the test. The shared server on 5432 is never
touched.

initdb and pg_ctl refuse to run as root: as root they run as the ``postgres`` OS user
(``runuser -u postgres --``), in a directory made for it under the system temp dir (pytest's
``tmp_path`` sits under a root-only folder that user cannot enter). Every step has a time
limit; the server is stopped ("immediate") and its directory removed at the end, whatever
happened.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tcpproxy import TcpProxy

STEP_TIMEOUT = 60  # seconds for any one initdb / pg_ctl call


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def find_bindir() -> Path | None:
    """The directory holding initdb and pg_ctl, or None."""
    candidates: list[str] = []
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        found = subprocess.run(
            ["pg_config", "--bindir"], capture_output=True, text=True, timeout=10, check=True
        )
        candidates.append(found.stdout.strip())
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    candidates += [str(Path(p).parent) for p in filter(None, [shutil.which("initdb")])]
    for candidate in candidates:
        path = Path(candidate)
        if (path / "initdb").is_file() and (path / "pg_ctl").is_file():
            return path
    return None


def unavailable_reason() -> str | None:
    """Why a private server cannot be made here (None when it can)."""
    if find_bindir() is None:
        return "no PostgreSQL server binaries (initdb, pg_ctl): install postgresql"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root and there is no 'postgres' OS user to run initdb as"
        if shutil.which("runuser") is None:
            return "running as root and runuser is missing"
    return None


@dataclass
class PrivatePostgres:
    bindir: Path
    root: Path  # owned by the user the server runs as
    port: int
    as_user: str | None  # "postgres" when we are root

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def log(self) -> Path:
        return self.root / "server.log"

    def url(self, database: str, *, driver: str = "postgresql+asyncpg") -> str:
        return f"{driver}://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        command = [str(self.bindir / args[0]), *args[1:]]
        if self.as_user:
            command = ["runuser", "-u", self.as_user, "--", *command]
        result = subprocess.run(
            command, cwd=self.root, capture_output=True, text=True, timeout=STEP_TIMEOUT
        )
        if check and result.returncode != 0:
            raise RuntimeError(
                f"{' '.join(args[:2])} failed ({result.returncode}):\n{result.stdout}\n"
                f"{result.stderr}\n{self.log_tail()}"
            )
        return result

    def log_tail(self, lines: int = 30) -> str:
        with contextlib.suppress(OSError):
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        return ""

    def initdb(self) -> None:
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
        )

    def start(self) -> float:
        """Start and wait until it accepts connections; returns the seconds it took."""
        started = time.monotonic()
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
            "-c shared_buffers=16MB -c max_connections=40"
        )
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-l",
            str(self.log),
            "-o",
            options,
            "-w",
            "-t",
            "30",
            "start",
        )
        return time.monotonic() - started

    def stop(self, mode: str = "fast") -> float:
        started = time.monotonic()
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "30", "stop")
        return time.monotonic() - started

    def begin_smart_stop(self) -> None:
        """Ask for a smart shutdown and return at once: the server refuses new connections
        ("the database system is shutting down") until every open session has ended."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "smart", "-W", "stop")

    def wait_stopped(self, timeout: float = 30.0) -> bool:
        deadline = time.monotonic() + timeout
        while self.running():
            if time.monotonic() > deadline:
                return False
            time.sleep(0.2)
        return True

    def running(self) -> bool:
        return self._run("pg_ctl", "-D", str(self.data), "status", check=False).returncode == 0


class ConnectionGate(TcpProxy):
    """A loopback proxy in front of the private server whose door can be shut: new
    connections are refused while connections already open keep flowing (so a server
    stopping under them still ends them itself, with its own error)."""

    def shut(self) -> None:
        if self._server is not None:
            self._server.close()  # stop listening; open pipes are left alone
            self._server = None

    async def open(self) -> None:
        if self._server is None:
            await self.start()


@contextlib.contextmanager
def private_postgres() -> Iterator[PrivatePostgres]:
    """initdb + start on a free port; stop and remove everything on exit."""
    bindir = find_bindir()
    assert bindir is not None, unavailable_reason()
    as_user = "postgres" if os.geteuid() == 0 else None
    root = Path(tempfile.mkdtemp(prefix="minwon-private-pg-"))
    if as_user:
        entry = pwd.getpwnam(as_user)
        os.chown(root, entry.pw_uid, entry.pw_gid)
    server = PrivatePostgres(bindir, root, _free_port(), as_user)
    try:
        server.initdb()
        server.start()
        yield server
    finally:
        with contextlib.suppress(Exception):
            if server.running():
                server.stop("immediate")
        shutil.rmtree(root, ignore_errors=True)
