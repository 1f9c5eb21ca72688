"""PostgreSQL fixtures: a private server for the test session, a fresh database per test.

``pg_server`` (session-scoped) runs Debian's server binaries (``/usr/lib/postgresql/<version>/bin``: ``initdb``,
``pg_ctl``) on a throwaway data folder in /tmp, listening on 127.0.0.1 at a free port with its unix socket in
that folder, trust authentication, locale C, fsync off (a test server; the store's own durability is SQLite's
test). As root the binaries run as the ``postgres`` user of the Debian package (``runuser -u postgres``), since
PostgreSQL refuses to run as root. Without the binaries the fixture FAILS ("install postgresql (apt-get install
postgresql)"): CI installs them, a missing server is never a silent skip.

``pg_url``: the URL of a new, empty database (dropped after the test); ``pg_store``: a migrated ``Store`` on it.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

__all__ = ["PgServer", "find_pg_bin", "pg_server", "pg_url", "pg_store"]

INSTALL = "install postgresql (apt-get install postgresql)"
SUPERUSER = "shopguide"


def find_pg_bin() -> Path:
    """The newest ``/usr/lib/postgresql/<version>/bin`` that has initdb and pg_ctl; a test failure without."""
    found = [Path(p).parent for p in glob.glob("/usr/lib/postgresql/*/bin/initdb")
             if (Path(p).parent / "pg_ctl").is_file()]
    if not found:
        pytest.fail(f"PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin: {INSTALL}")
    return max(found, key=lambda p: tuple(int(x) for x in p.parent.name.split(".") if x.isdigit()))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class PgServer:
    """A running private server: ``url(dbname)``, ``create_database()``, ``drop_database(name)``, ``stop()``."""

    bin: Path
    root: Path
    port: int
    as_user: list[str]
    version: str = ""

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{dbname}"

    def _admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(sql)

    def create_database(self) -> str:
        """A new empty database; its URL."""
        name = f"t_{uuid.uuid4().hex[:12]}"
        self._admin(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def drop_database(self, name: str) -> None:
        self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def pg_ctl(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run([*self.as_user, str(self.bin / "pg_ctl"), "-D", str(self.root / "data"), *args],
                              capture_output=True, text=True, timeout=120, cwd=self.root)

    def stop(self) -> None:
        self.pg_ctl("-m", "fast", "-w", "stop")


def start_pg_server() -> PgServer:
    """initdb + pg_ctl start (see the module docstring); the caller stops it and removes ``root``."""
    pg_bin = find_pg_bin()
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.fail("psycopg is not installed: pip install -e '.[test]' (it is a dependency of shopguide)")
    root = Path(tempfile.mkdtemp(prefix="shopguide-pg-"))  # in /tmp: pytest's tmp dirs are private to root
    as_user: list[str] = []
    if os.geteuid() == 0:
        if shutil.which("runuser") is None:
            pytest.fail("running as root needs runuser (util-linux) to start PostgreSQL as the postgres user")
        try:
            import pwd

            pw = pwd.getpwnam("postgres")
        except KeyError:
            pytest.fail(f"no 'postgres' user to run the server as: {INSTALL}")
        os.chown(root, pw.pw_uid, pw.pw_gid)
        as_user = ["runuser", "-u", "postgres", "--"]
    init = subprocess.run([*as_user, str(pg_bin / "initdb"), "-D", str(root / "data"), "-U", SUPERUSER,
                           "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync"],
                          capture_output=True, text=True, timeout=300, cwd=root)
    if init.returncode:
        shutil.rmtree(root, ignore_errors=True)
        pytest.fail(f"initdb failed ({pg_bin}):\n{init.stdout}\n{init.stderr}")
    for _attempt in range(3):  # a free port can be taken between the check and the start
        server = PgServer(pg_bin, root, _free_port(), as_user)
        options = (f"-p {server.port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off"
                   " -c full_page_writes=off -c max_connections=100")
        start = server.pg_ctl("-o", options, "-l", str(root / "server.log"), "-w", "-t", "60", "start")
        if start.returncode == 0:
            server.version = subprocess.run([str(pg_bin / "postgres"), "--version"], capture_output=True,
                                            text=True).stdout.strip()
            return server
        time.sleep(0.5)
    log = (root / "server.log").read_text(errors="replace") if (root / "server.log").exists() else ""
    shutil.rmtree(root, ignore_errors=True)
    pytest.fail(f"PostgreSQL did not start ({pg_bin}):\n{start.stdout}\n{start.stderr}\n{log[-3000:]}")


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """A private PostgreSQL server for the whole test session (stopped and removed at the end)."""
    server = start_pg_server()
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(server.root, ignore_errors=True)


@pytest.fixture
def pg_url(pg_server: PgServer) -> Iterator[str]:
    """The URL of a fresh, empty database on the session's server (dropped after the test)."""
    url = pg_server.create_database()
    yield url
    pg_server.drop_database(url.rsplit("/", 1)[1])


@pytest.fixture
def pg_store(pg_url: str):
    """A migrated :class:`~chatbot.service.store.Store` on a fresh PostgreSQL database."""
    from chatbot.service.store import Store

    store = Store(pg_url)
    yield store
    store.close()
