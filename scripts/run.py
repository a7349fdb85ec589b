"""The processes of ``make run``: a Celery worker running beat and Django's development server.

``make run`` migrates and loads the demo data, then hands over to this script, which

- starts both in process groups of their own, so that Ctrl-C in the terminal reaches this script
  (and make) only. The shell ``trap 'kill 0'`` used before signalled its own group, itself
  included, so the trap fired again and again: thousands of "Warm shutdown" lines, a
  RecursionError and a segfault. Here each child is stopped once, whatever signals follow;
- relays their output line by line until then, and drops it while they shut down;
- prints the addresses and the demo accounts last, once the server accepts connections and the
  worker is ready, so that they do not scroll away above the Celery banner;
- exits 0 after Ctrl-C (SIGINT), SIGTERM or SIGHUP, leaving no child behind; if a child dies on
  its own (say the port is taken) it stops the other and exits 1.

Standard library only; run it with the project's virtualenv Python.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CREDENTIALS_FILE = "demo-credentials.txt"  # written by manage.py load_demo_data
READY_TIMEOUT = 90.0  # seconds before the accounts are printed anyway
STOP_TIMEOUT = 15.0  # seconds a child gets to finish before it is killed
POLL = 0.2
SERVER = "开发服务器"
WORKER_READY = b" ready."  # Celery's last startup line: "celery@host ready."
# Printed by runserver once it has bound the port (not when the port is taken).
SERVER_READY = b"Quit the server with"

_output = threading.Lock()
_stopping = threading.Event()  # set once: from then on the children's output is dropped
_signals: list[int] = []


def say(text: str) -> None:
    with _output:
        sys.stdout.write(text + "\n")
        sys.stdout.flush()


class Child:
    """A child process in a process group of its own, its output relayed to ours."""

    def __init__(
        self, name: str, args: list[str], *, ready_marker: bytes | None = None, stop_group: bool
    ) -> None:
        self.name = name
        self.stop_group = stop_group
        self.ready = threading.Event()
        self._marker = ready_marker
        if ready_marker is None:
            self.ready.set()
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.process = subprocess.Popen(
            args,
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            process_group=0,
        )
        self.relay = threading.Thread(target=self._relay_output, daemon=True)
        self.relay.start()

    def _relay_output(self) -> None:
        assert self.process.stdout is not None
        # Read to the end even when stopping: a child blocked on a full pipe would never exit.
        for line in iter(self.process.stdout.readline, b""):
            if self._marker and self._marker in line:
                self.ready.set()
            if not _stopping.is_set():
                with _output:
                    sys.stdout.buffer.write(line)
                    sys.stdout.flush()

    def signal(self, signum: int, *, group: bool) -> None:
        try:
            if group:
                os.killpg(self.process.pid, signum)
            else:
                self.process.send_signal(signum)
        except ProcessLookupError:
            pass

    def group_alive(self) -> bool:
        try:
            os.killpg(self.process.pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:  # a reused id in someone else's group: not ours any more
            return False
        return True

    def finish(self, deadline: float) -> None:
        """Wait for the child until the deadline, then kill whatever is left of its group."""
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=max(0.0, deadline - time.monotonic()))
        # The pool processes of the worker, or the server under the autoreloader, may outlive
        # the process that started them.
        end = min(deadline, time.monotonic() + 2.0)
        while self.group_alive() and time.monotonic() < end:
            time.sleep(0.05)
        if self.group_alive():
            self.signal(signal.SIGKILL, group=True)
        self.process.wait()
        self.relay.join(timeout=2.0)


def _on_signal(signum: int, frame) -> None:
    # Only noted here; the main loop stops the children, once.
    _signals.append(signum)


def accepts_connections(host: str, port: int) -> bool:
    # A bare connection rather than an HTTP request: a request would add a line to the
    # server's log just as the accounts are printed.
    target = {"0.0.0.0": "127.0.0.1", "": "127.0.0.1", "::": "::1"}.get(host, host)
    try:
        with socket.create_connection((target.strip("[]"), port), timeout=1.0):
            return True
    except OSError:
        return False


def announcement(host: str, port: int, *, late: list[str]) -> str:
    base = f"http://{host}:{port}"
    var_dir = Path(os.environ.get("DJANGO_VAR_DIR") or ROOT / "var")
    credentials = var_dir / CREDENTIALS_FILE
    lines = ["", "=" * 72]
    if late:
        lines.append(f"注意：{'、'.join(late)}尚未就绪，请查看上方输出。")
    lines += [
        f"办理工作台（在此登录）：{base}/",
        f"管理后台（机关和平台管理）：{base}/admin/",
        f"REST API：{base}/api/    接口文档：{base}/api/docs/",
        "",
    ]
    if credentials.exists():
        lines.append(f"演示账号（{credentials}）：")
        lines += credentials.read_text(encoding="utf-8").rstrip("\n").splitlines()
    else:
        lines.append(f"未找到演示账号文件 {credentials}（python manage.py load_demo_data 生成）。")
    lines += ["", "按 Ctrl-C 停止服务器和 Celery worker。", "=" * 72]
    return "\n".join(lines)


def stop(children: list[Child]) -> None:
    _stopping.set()
    # The worker's main process makes a warm shutdown of its pool and beat on SIGTERM; the
    # server's whole group (autoreloader and server) exits at once on it.
    for child in children:
        child.signal(signal.SIGTERM, group=child.stop_group)
    deadline = time.monotonic() + STOP_TIMEOUT
    for child in children:
        child.finish(deadline)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    options = parser.parse_args(argv)

    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _on_signal)

    python = sys.executable
    worker = [python, "-m", "celery", "-A", "config", "worker", "--beat", "--loglevel=INFO"]
    children = [
        Child(
            "Celery worker",
            [*worker, "--concurrency=1"],
            ready_marker=WORKER_READY,
            stop_group=False,
        ),
    ]
    if not _signals:
        address = f"{options.host}:{options.port}"
        server = [python, "manage.py", "runserver", address]
        children.append(Child(SERVER, server, ready_marker=SERVER_READY, stop_group=True))
    started = time.monotonic()
    announced = False
    status = 0
    while not _signals:
        dead = next((c for c in children if c.process.poll() is not None), None)
        if dead is not None:
            dead.relay.join(timeout=2.0)  # its last words say why
            say(f"\n{dead.name} 已退出（状态 {dead.process.returncode}），正在停止其他进程。")
            status = 1
            break
        if not announced:
            up = accepts_connections(options.host, options.port)
            ready = up and all(child.ready.is_set() for child in children)
            timed_out = time.monotonic() - started > READY_TIMEOUT
            if ready or timed_out:
                time.sleep(0.3)  # let the relays print the lines already written
                late = [
                    c.name
                    for c in children
                    if not c.ready.is_set() or (c.name == SERVER and not up)
                ]
                say(announcement(options.host, options.port, late=late))
                announced = True
        time.sleep(POLL)

    if status == 0:
        # The worker's warm shutdown takes a few seconds (the filesystem broker is polled).
        say("\n正在停止服务器和 Celery worker……")
    stop(children)
    if status == 0:
        say("已停止。")
    return status


if __name__ == "__main__":
    sys.exit(main())
