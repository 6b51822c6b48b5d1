"""Code that must also work on SQLite (`make run`'s database) while the suite runs on
PostgreSQL: a fresh SQLite file is migrated and a script runs against it, each in a process
of its own (Django's connection is chosen at start-up)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_on_fresh_sqlite(tmp_path: Path, script: str) -> list[str]:
    """Migrate a new SQLite file and run `script` in `manage.py shell` against it; the lines
    it printed. A failure of either step fails the test with its error output."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.sqlite3'}",
        "PYTHONPATH": str(ROOT),
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    migrated = subprocess.run(
        [*manage, "migrate", "--no-input"], env=env, capture_output=True, text=True, cwd=ROOT
    )
    assert migrated.returncode == 0, migrated.stderr
    run = subprocess.run(
        [*manage, "shell", "--no-imports", "-c", script],
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert run.returncode == 0, run.stderr
    return run.stdout.splitlines()
