"""A throwaway PostgreSQL server for the export tests and benchmark.

``postgres_url()`` gives ``$TERREUR_TEST_POSTGRES_URL`` when it is set.
Otherwise ``start_postgres()`` runs ``initdb`` and ``pg_ctl`` from the
Debian package (``/usr/lib/postgresql/*/bin``, as ``.ci/run`` installs it) or
from ``$PATH`` into a temporary directory, listening only on a Unix socket
in that directory, and removes it all afterwards. PostgreSQL refuses to run
as root, so under root the server runs as the ``postgres`` user (or
``nobody``) through ``runuser``.

Run it to get a server to explore by hand:  python tests/pg_server.py
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
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, List, Optional

ENV_URL = "TERREUR_TEST_POSTGRES_URL"


class NoPostgres(Exception):
    """No PostgreSQL server binaries on this machine (the reason a test skips)."""


@dataclass
class PostgresServer:
    url: str
    data_dir: Optional[Path] = None


def find_bindir() -> Path:
    """The directory with ``initdb``, ``pg_ctl`` and ``postgres``: the newest Debian one, else ``$PATH``."""
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=_version_key, reverse=True)
    for directory in candidates:
        if all(os.access(Path(directory) / name, os.X_OK) for name in ("initdb", "pg_ctl", "postgres")):
            return Path(directory)
    initdb = shutil.which("initdb")
    if initdb and shutil.which("pg_ctl"):
        return Path(initdb).parent
    raise NoPostgres(
        "no PostgreSQL server binaries (initdb, pg_ctl) in /usr/lib/postgresql/*/bin or on PATH: "
        f"apt-get install postgresql, or set {ENV_URL}"
    )


def _version_key(path: str) -> float:
    try:
        return float(Path(path).parent.name)
    except ValueError:
        return 0.0


def _server_user() -> Optional[str]:
    # PostgreSQL will not run as root: use the package's user, else nobody.
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            pwd.getpwnam(name)
            return name
    raise RuntimeError("running as root and there is no postgres or nobody user to run PostgreSQL as")


def _as_user(user: Optional[str], command: List[str]) -> List[str]:
    if user is None:
        return command
    if shutil.which("runuser"):
        return ["runuser", "-u", user, "--"] + command
    return ["su", user, "-s", "/bin/sh", "-c", " ".join(_quote(part) for part in command)]


def _quote(part: str) -> str:
    import shlex

    return shlex.quote(part)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _run(command: List[str], log_path: Path) -> None:
    result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=120)
    if result.returncode != 0:
        log = log_path.read_text(errors="replace")[-2000:] if log_path.exists() else ""
        raise RuntimeError(f"{' '.join(command)} failed ({result.returncode}):\n{result.stdout[-2000:]}\n{log}")


@contextlib.contextmanager
def start_postgres(*, fsync: bool = False) -> Iterator[PostgresServer]:
    """Start a PostgreSQL server in a temporary directory; stop it and delete the directory afterwards.

    fsync (bool): flush to disk on commit, as a real server does (the benchmark wants this;
        the tests do not need it). Defaults to False.
    RETURNS (PostgresServer): the URL (``postgresql://postgres@/postgres?host=DIR&port=PORT``).
    Raises NoPostgres when there are no server binaries, RuntimeError when the server fails to start.
    """
    bindir = find_bindir()
    user = _server_user()
    # /tmp itself, not pytest's tmp_path: the server user must be able to reach the directory.
    root = Path(tempfile.mkdtemp(prefix="terreur-pg-"))
    data_dir, log_path = root / "data", root / "server.log"
    port = _free_port()
    try:
        if user is not None:
            entry = pwd.getpwnam(user)
            os.chown(root, entry.pw_uid, entry.pw_gid)
        initdb = [str(bindir / "initdb"), "-D", str(data_dir), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync"]
        _run(_as_user(user, initdb), log_path)
        options = f"-p {port} -k {root} -c listen_addresses='' -c fsync={'on' if fsync else 'off'}"
        start = [str(bindir / "pg_ctl"), "-D", str(data_dir), "-l", str(log_path), "-o", options, "-w", "-t", "60", "start"]
        _run(_as_user(user, start), log_path)
        try:
            yield PostgresServer(url=f"postgresql://postgres@/postgres?host={root}&port={port}", data_dir=data_dir)
        finally:
            stop = [str(bindir / "pg_ctl"), "-D", str(data_dir), "-m", "immediate", "-w", "stop"]
            subprocess.run(_as_user(user, stop), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60)
    finally:
        shutil.rmtree(root, ignore_errors=True)


@contextlib.contextmanager
def postgres_url(*, fsync: bool = False) -> Iterator[str]:
    """``$TERREUR_TEST_POSTGRES_URL`` if set, else the URL of a server started for the duration."""
    if os.environ.get(ENV_URL):
        yield os.environ[ENV_URL]
        return
    with start_postgres(fsync=fsync) as server:
        yield server.url


if __name__ == "__main__":
    with start_postgres() as server:
        print(server.url)
        input("PostgreSQL is running; press Enter to stop it and delete its data. ")
