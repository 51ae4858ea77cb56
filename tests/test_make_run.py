"""`make run` (the end of `make demo`) stops cleanly on Ctrl+C: one line saying so, no
"Segmentation fault", no process left behind. Run in a pseudo-terminal, as a person does."""

import os
import pty
import select
import shutil
import signal
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from conftest import free_port

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = ROOT / ".venv" / "bin"

pytestmark = pytest.mark.skipif(
    shutil.which("make") is None or not (VENV_BIN / "granian").exists(),
    reason="needs make and the project's .venv (make install)",
)


def environment(data_dir: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "MAKEFLAGS", "MAKELEVEL")
    }
    env["TIKETTI_DATA_DIR"] = str(data_dir)
    return env


def read_for(fd: int, seconds: float) -> bytes:
    output = b""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                data = os.read(fd, 4096)
            except OSError:  # the terminal closed: everything in it has exited
                break
            if not data:
                break
            output += data
    return output


def serving(port: int) -> bool:
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{port}/help/", timeout=2)
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False
    return True


def started_here(data_dir: Path) -> list[int]:
    """Processes whose environment names this test's data directory (web, worker, make)."""
    marker = f"TIKETTI_DATA_DIR={data_dir}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if marker in (entry / "environ").read_bytes().split(b"\0"):
                found.append(int(entry.name))
        except OSError:  # gone meanwhile, or not ours
            continue
    return found


def test_ctrl_c_stops_web_and_worker_cleanly(tmp_path):
    env = environment(tmp_path)
    (tmp_path / "secret_key").write_text("test-only-secret-key-for-make-run\n")
    env["SECRET_KEY_FILE"] = str(tmp_path / "secret_key")
    subprocess.run([str(VENV_BIN / "tiketti"), "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)
    port = free_port()
    command = ["make", "--no-print-directory", "run", f"PORT={port}", f"DATA_DIR={tmp_path}"]
    pid, fd = pty.fork()
    if pid == 0:  # the child: make, in a terminal of its own
        os.chdir(ROOT)
        os.execvpe("make", command, env)  # noqa: S606 - make runs its recipe in bash
    try:
        output = b""
        for _attempt in range(120):
            output += read_for(fd, 0.5)
            if serving(port):
                break
        else:
            pytest.fail(f"make run did not start serving: {output.decode(errors='replace')}")
        os.write(fd, b"\x03")  # Ctrl+C: the terminal signals its foreground process group
        output += read_for(fd, 30)
        for _attempt in range(60):
            finished, _status = os.waitpid(pid, os.WNOHANG)
            if finished:
                break
            time.sleep(0.5)
        else:
            pytest.fail(f"make run did not stop: {output.decode(errors='replace')}")
        text = output.decode(errors="replace")
        assert "Tiketti stopped (web and worker)." in text, text
        assert "Segmentation fault" not in text and "make: ***" not in text, text
        assert not serving(port)
        assert started_here(tmp_path) == []  # the worker and granian's processes are gone too
    finally:
        for leftover in started_here(tmp_path):
            os.kill(leftover, signal.SIGKILL)
        os.close(fd)
