"""Shared fixtures: the repository root, the bundled scenarios, the CLI binary."""

import os
import pathlib
import json
import subprocess

import pytest

import detente

ROOT = pathlib.Path(__file__).resolve().parents[3]
KURIL = ROOT / "scenarios" / "kuril-2019.toml"
LAPTOP = ROOT / "scenarios" / "anac" / "Laptop"


def cli_binary() -> pathlib.Path:
    """The `detente` binary the parity tests compare against: $DETENTE_BIN, or
    the release build in the target folder (scripts/python.sh builds it)."""
    if os.environ.get("DETENTE_BIN"):
        return pathlib.Path(os.environ["DETENTE_BIN"])
    target = pathlib.Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    return target / "release" / "detente"


@pytest.fixture(scope="session")
def cli():
    """Runs the CLI and parses its JSON output."""
    binary = cli_binary()
    if not binary.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{binary} is missing: build it with cargo build --release -p detente-cli")
        pytest.skip(f"{binary} is missing: build it with cargo build --release -p detente-cli")

    def run(*args: str, parse: bool = True):
        out = subprocess.run([str(binary), *args], cwd=ROOT, check=True, capture_output=True, text=True)
        return json.loads(out.stdout) if parse else out.stdout

    return run


@pytest.fixture(scope="session")
def kuril():
    return detente.load(str(KURIL))


@pytest.fixture(scope="session")
def laptop():
    return detente.load(str(LAPTOP))


@pytest.fixture(scope="session")
def kuril_analysis(kuril):
    return kuril.analyze()


@pytest.fixture()
def in_root(monkeypatch):
    """Runs the test from the repository root (the docstrings' relative paths)."""
    monkeypatch.chdir(ROOT)
    return ROOT


def synthetic(n_issues: int, n_options: int) -> str:
    """A two-party scenario with `n_options ** n_issues` outcomes."""
    lines = ["format = 1", f'name = "Synthetic {n_issues} x {n_options}"']
    options = ", ".join(f'"v{j}"' for j in range(n_options))
    for i in range(n_issues):
        lines += ["[[issues]]", f'id = "i{i}"', f"options = [{options}]", "ordered = true"]
    for a, first in (("a", 0), ("b", n_options - 1)):
        lines += ["[[actors]]", f'id = "{a}"', "reservation = 0.1"]
        for i in range(n_issues):
            pos = (first + i) % n_options
            lines.append(f'stances.i{i} = {{ position = "v{pos}", salience = {(1 + i % 3) / 4} }}')
    return "\n".join(lines) + "\n"

