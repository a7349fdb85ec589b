"""The two commands of a fresh machine, for real: `make install` twice at once, and Ctrl-C on
`make run` in a terminal (a pseudo-terminal here).

Both run the project's Makefile in subprocesses and take tens of seconds (marked ``slow``; CI
runs them like every other test). Without ``make`` they are skipped, except under
REQUIRE_SERVICES=1 (CI), where that is a failure. The install reuses pip's configuration and
cache (the wheels already downloaded), so it takes seconds, not minutes.
"""

from __future__ import annotations

import contextlib
import os
import pty
import re
import select
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from .conftest import REQUIRE_SERVICES

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow

# What `make install` needs from the tree; the rest of it does not take part.
INSTALL_FILES = ["Makefile", "requirements.txt", "requirements-dev.txt", "scripts"]


def need(program: str) -> str:
    path = shutil.which(program)
    if path is None:
        message = f"{program} is not installed"
        if REQUIRE_SERVICES:
            pytest.fail(message)
        pytest.skip(message)
    return path


def clean_env(**extra: str) -> dict[str, str]:
    """The caller's environment without the test run's settings, database and broker."""
    drop = ("DJANGO_", "DATABASE_URL", "CELERY_", "REDIS_URL", "MAKEFLAGS", "MFLAGS", "MAKELEVEL")
    env = {k: v for k, v in os.environ.items() if not k.startswith(drop)}
    return {**env, **extra}


# The install race


def copy_tree(target: Path) -> None:
    """A temporary clone of the working tree as it is (uncommitted changes included)."""
    for name in INSTALL_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, target / name)


def test_two_makes_started_together_install_once(tmp_path):
    need("make")
    clone = tmp_path / "clone"
    clone.mkdir()
    copy_tree(clone)
    venv = clone / ".venv"
    env = clean_env()  # pip's own configuration and cache are kept: no download, a fast install
    started = time.monotonic()

    def make_install(log: Path) -> subprocess.Popen:
        return subprocess.Popen(
            ["make", "install"],
            cwd=clone,
            env=env,
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
        )

    first = make_install(tmp_path / "first.log")
    # The second starts as the interpreter appears, before pip is in the virtualenv: the moment
    # at which it used to run `python -m pip` and fail with "No module named pip".
    while not (venv / "bin" / "python").exists() and first.poll() is None:
        time.sleep(0.02)
    second = make_install(tmp_path / "second.log")
    try:
        codes = [first.wait(timeout=240), second.wait(timeout=240)]
    finally:
        for process in (first, second):
            if process.poll() is None:
                process.kill()
    logs = [(tmp_path / name).read_text(errors="replace") for name in ("first.log", "second.log")]

    assert codes == [0, 0], logs
    assert "No module named pip" not in "".join(logs)
    assert "另一个进程正在安装" in logs[1]  # it waited for the first, then found the work done
    assert "创建虚拟环境" not in logs[1]
    assert (venv / ".installed-requirements").exists()
    check = subprocess.run(
        [venv / "bin" / "python", "-c", "import django, celery, pytest"], capture_output=True
    )
    assert check.returncode == 0, check.stderr
    assert subprocess.run(["make", "-q", "install"], cwd=clone, env=env).returncode == 0
    print(f"two parallel installs: {time.monotonic() - started:.1f} s")


# Ctrl-C on `make run`


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Terminal:
    """A command in a pseudo-terminal, as a user runs it: its own session, the terminal's
    foreground process group, Ctrl-C typed on the terminal."""

    def __init__(self, argv: list[str], *, cwd: Path, env: dict[str, str]) -> None:
        pid, fd = pty.fork()
        if pid == 0:  # the child: never returns into pytest
            try:
                os.chdir(cwd)
                os.execvpe(argv[0], argv, env)
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd
        self.output = b""
        self.status: int | None = None

    def read(self, seconds: float) -> bool:
        """Collect output for a while; False once the terminal is closed."""
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            ready, _, _ = select.select([self.fd], [], [], 0.1)
            if not ready:
                continue
            try:
                data = os.read(self.fd, 65536)
            except OSError:  # EIO: every process holding the terminal is gone
                return False
            if not data:
                return False
            self.output += data
        return True

    def read_until(self, pattern: bytes, seconds: float) -> bool:
        end = time.monotonic() + seconds
        while pattern not in self.output:
            if time.monotonic() > end or not self.read(0.2):
                return pattern in self.output
        return True

    def wait(self, seconds: float) -> int | None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            self.read(0.1)
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.status = status
                self.read(0.2)
                return status
        return None

    def text(self, start: int = 0) -> str:
        return self.output[start:].decode("utf-8", errors="replace").replace("\r\n", "\n")


def descendants(root: int) -> set[int]:
    table = subprocess.run(["ps", "-A", "-o", "pid=,ppid="], capture_output=True, text=True)
    children: dict[int, list[int]] = {}
    for line in table.stdout.splitlines():
        pid, ppid = (int(field) for field in line.split())
        children.setdefault(ppid, []).append(pid)
    found, todo = set(), [root]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def alive(pids: set[int]) -> set[int]:
    living = set()
    for pid in pids:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            continue
        living.add(pid)
    return living


def test_ctrl_c_stops_make_run_once_and_quietly(tmp_path):
    make = need("make")
    port = free_port()
    env = clean_env(DJANGO_VAR_DIR=str(tmp_path / "var"), TERM="dumb")
    started = time.monotonic()
    terminal = Terminal([make, "run", f"PORT={port}"], cwd=ROOT, env=env)
    spawned: set[int] = set()
    try:
        # Migrate a new SQLite database, load the demo, start the worker and the server.
        assert terminal.read_until("按 Ctrl-C 停止".encode(), 150), terminal.text()[-3000:]
        up = time.monotonic() - started
        terminal.read(0.5)
        shown = terminal.text()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz/", timeout=5) as answer:
            assert answer.read() == b"ok"
        # The accounts and the addresses come last, after the Celery banner and the server's
        # start-up lines, where the clerk sees them.
        tail = shown[shown.rindex("celery@") :]
        assert " ready." in tail and "Quit the server" in tail
        accounts = shown[shown.rindex("管理后台（") :]
        assert f"http://127.0.0.1:{port}/admin/" in accounts
        assert accounts.rstrip().endswith("=" * 72)  # nothing after them
        for username in ("admin", "registrar", "handler", "approver", "agencyadmin"):
            assert re.search(rf"^{username}\s+\S+", accounts, re.MULTILINE), accounts
        assert "agencyadmin" not in shown[: shown.rindex("celery@")]  # printed once, at the end
        spawned = descendants(terminal.pid)
        assert len(spawned) >= 4  # the script, the worker (and its pool), the server

        before = len(terminal.output)
        interrupted = time.monotonic()
        os.write(terminal.fd, b"\x03")  # Ctrl-C: SIGINT to the terminal's foreground group
        status = terminal.wait(30)
        stopped = time.monotonic() - interrupted

        after = terminal.text(before)
        assert status is not None, f"still running 30 s after Ctrl-C:\n{after[-3000:]}"
        assert stopped < 15, after
        # make itself dies of the SIGINT it got too (as a shell expects); the script exits 0,
        # so make says nothing.
        assert (os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0) or (
            os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGINT
        ), status
        for noise in ("Warm shutdown", "RecursionError", "Segmentation fault", "make: ***"):
            assert noise not in after, after
        assert "Traceback" not in after, after
        assert len([line for line in after.splitlines() if line.strip()]) <= 4, after
        assert "已停止" in after

        deadline = time.monotonic() + 10  # a loaded machine reaps slowly
        while alive(spawned) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not alive(spawned), subprocess.run(
            ["ps", "-o", "pid,pgid,args", "-p", ",".join(map(str, alive(spawned)))],
            capture_output=True,
            text=True,
        ).stdout
        print(f"make run: up in {up:.1f} s, stopped {stopped:.1f} s after Ctrl-C")
    finally:
        # Whatever failed above, leave nothing of ours running.
        if terminal.status is None:
            spawned |= descendants(terminal.pid)
            os.kill(terminal.pid, signal.SIGKILL)
            os.waitpid(terminal.pid, 0)
        for pid in alive(spawned):
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(pid, signal.SIGKILL)
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        os.close(terminal.fd)
