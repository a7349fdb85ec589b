"""Create or update the virtualenv of ``make``, one process at a time.

``make run`` and ``make test`` started together used to race: the second saw the interpreter
the first had just created, before ``venv`` had installed pip into it, and failed with
"No module named pip". The whole install now runs under an exclusive lock on a file beside the
virtualenv (``fcntl.flock``: released by the kernel when the holder dies, so a killed install
leaves no stale lock). Under the lock the stamp is looked at again: a second caller that waited
finds the work done and returns. A virtualenv left without a working pip by a killed install is
built again.

Standard library only: it runs before the virtualenv exists.

    python3.11 scripts/install.py --venv .venv --stamp .venv/.installed-requirements \\
        requirements-dev.txt requirements.txt

The first requirements file is installed; every one named is compared with the stamp.
"""

from __future__ import annotations

import argparse
import fcntl
import subprocess
import sys
from pathlib import Path


def up_to_date(stamp: Path, requirements: list[Path]) -> bool:
    if not stamp.exists():
        return False
    return all(stamp.stat().st_mtime >= path.stat().st_mtime for path in requirements)


def has_pip(python: Path) -> bool:
    if not python.exists():
        return False
    probe = subprocess.run(
        [str(python), "-m", "pip", "--version"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=False,
    )
    return probe.returncode == 0


def install(venv: Path, stamp: Path, requirements: list[Path]) -> None:
    python = venv / "bin" / "python"
    if not has_pip(python):
        print(f"创建虚拟环境 {venv}", flush=True)
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
    pip = [str(python), "-m", "pip", "install", "--quiet"]
    subprocess.run([*pip, "--upgrade", "pip"], check=True)
    subprocess.run([*pip, "-r", str(requirements[0])], check=True)
    stamp.touch()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Install the requirements into a virtualenv.")
    parser.add_argument("--venv", type=Path, required=True)
    parser.add_argument("--stamp", type=Path, required=True)
    parser.add_argument("requirements", type=Path, nargs="+")
    options = parser.parse_args(argv)

    venv = options.venv.absolute()
    lock_path = venv.with_name(venv.name + ".lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"另一个进程正在安装 {venv}，等待其完成……", flush=True)
            fcntl.flock(lock, fcntl.LOCK_EX)
        if up_to_date(options.stamp, options.requirements):
            return 0
        install(venv, options.stamp, options.requirements)
    return 0


if __name__ == "__main__":
    sys.exit(main())
