"""The type stubs: they match the extension module at run time (mypy's stubtest), and the
Python side type-checks against them (mypy)."""

import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1]
CONFIG = PACKAGE / "pyproject.toml"


def mypy(tmp_path, *args):
    pytest.importorskip("mypy")
    run = subprocess.run(
        [sys.executable, "-m", *args, "--mypy-config-file" if args[0] == "mypy.stubtest" else "--config-file",
         str(CONFIG)],
        cwd=tmp_path if args[0] == "mypy.stubtest" else PACKAGE, capture_output=True, text=True,
    )
    return run.returncode, run.stdout + run.stderr


def test_stubs_match_the_extension_module(tmp_path):
    # Run outside the source folder, so the installed package is the one checked.
    code, out = mypy(tmp_path, "mypy.stubtest", "growthcast._core", "--ignore-disjoint-bases")
    assert code == 0, out


def test_the_python_side_type_checks(tmp_path):
    code, out = mypy(tmp_path, "mypy", "growthcast", "--cache-dir", str(tmp_path / "cache"))
    assert code == 0, out
