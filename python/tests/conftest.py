"""Shared fixtures: the repository's bundled data and the Rust command-line tool, whose output
is the reference the bindings must reproduce."""

import json
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"


@pytest.fixture(scope="session")
def cli():
    """Runs the `growthcast` command-line tool of this checkout (built with `cargo build
    --all-features`, a no-op after `cargo test --all-features`) and returns its stdout; with
    `--json` the parsed JSON."""
    subprocess.run(
        ["cargo", "build", "--quiet", "--all-features", "--bin", "growthcast"],
        cwd=ROOT,
        check=True,
    )
    exe = ROOT / "target" / "debug" / "growthcast"

    def run(*args: str):
        out = subprocess.run(
            [str(exe), *args], cwd=ROOT, check=True, capture_output=True, text=True
        ).stdout
        return json.loads(out) if "--json" in args else out

    return run


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return DATA
