"""The notebook-style example runs from start to end and draws its chart."""

import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "notebook.py"


def test_notebook_example_runs(tmp_path):
    pytest.importorskip("matplotlib")
    chart = tmp_path / "users.png"
    run = subprocess.run([sys.executable, str(EXAMPLE), str(chart)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert "more than 300x in 1.5 years" in run.stdout and "holds" in run.stdout
    assert "knowing" in run.stdout or "2030-12-31" in run.stdout
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
