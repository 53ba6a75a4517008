"""The wheel `scripts/build-wheel.sh` builds installs into a fresh virtual environment
and works there: on this Python and on the oldest one it supports (3.9, one abi3
wheel for all). The path of the wheel comes from `KINERJA_WHEEL` (scripts/test-all.sh
sets it); auditwheel's verdict on it is checked by the build script itself."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

WHEEL = os.environ.get("KINERJA_WHEEL", "")

# A slip computed in the fresh environment: the core's module example (class 9, 6,000 of
# 6,600 minutes, two TL1 days) nets 2,212,418 (test_allowance.example spells it out).
SMOKE = """
import decimal, kinerja
i = kinerja.AllowanceInput(employee="198503152010011001", month="2026-10", job_class=9, rank="III/c",
    employment="PNS", salary=decimal.Decimal("4500000"), calendar_working_days=22, assigned_working_days=22,
    performance={"target_minutes": 6600, "verified_minutes": 6000},
    discipline={"days_present": 22, "late": [2, 0, 0, 0], "early": [0, 0, 0, 0], "unexcused_days": 0,
                "roll_calls_missed": {"morning": 0, "afternoon": 0, "ceremony": 0}})
s = kinerja.compute_slip(i, kinerja.Policy.national())
print(kinerja.__file__)
print(kinerja.format_rupiah(s.net))
"""


def wheel() -> Path:
    if not WHEEL:
        pytest.skip("KINERJA_WHEEL is not set (scripts/test-all.sh builds the wheel and sets it)")
    path = Path(WHEEL)
    assert path.is_file(), f"KINERJA_WHEEL={WHEEL} is not a file"
    return path


def install_and_run(python: str, venv: Path) -> list[str]:
    subprocess.run([python, "-m", "venv", str(venv)], check=True)
    bin_python = venv / "bin" / "python"
    subprocess.run(
        [str(bin_python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-index",
         "--no-deps", str(wheel())],
        check=True,
    )  # fmt: skip
    out = subprocess.run([str(bin_python), "-c", SMOKE], check=True, capture_output=True, text=True, cwd=venv)
    return out.stdout.splitlines()


def test_wheel_is_tagged_manylinux2014_abi3() -> None:
    name = wheel().name
    # CPython 3.9+ (abi3) on glibc 2.17+ (manylinux2014): installs on CentOS 7 and later.
    assert name.endswith("-cp39-abi3-manylinux2014_x86_64.manylinux_2_17_x86_64.whl"), name


def test_wheel_installs_in_a_fresh_venv(tmp_path: Path) -> None:
    lines = install_and_run(sys.executable, tmp_path / "venv")
    assert lines[0].startswith(str(tmp_path / "venv")), lines  # the installed copy, not the source tree
    assert lines[1] == "Rp 2.212.418"


def python39() -> str | None:
    """A usable CPython 3.9: `KINERJA_PYTHON39`, a pyenv install, or `python3.9` on PATH."""
    pyenv = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
    candidates = [os.environ.get("KINERJA_PYTHON39", "")]
    candidates += [str(p) for p in sorted(pyenv.glob("versions/3.9*/bin/python3.9"))]
    candidates.append(shutil.which("python3.9") or "")
    for c in filter(None, candidates):
        probe = subprocess.run([c, "-c", "import sys; print(sys.version_info[:2])"], capture_output=True, text=True)
        if probe.returncode == 0 and probe.stdout.strip() == "(3, 9)":
            return c
    return None


def test_the_same_wheel_on_python_3_9(tmp_path: Path) -> None:
    python = python39()
    if python is None:
        pytest.skip("no usable CPython 3.9 on this machine")
    lines = install_and_run(python, tmp_path / "venv39")
    assert lines[1] == "Rp 2.212.418"
