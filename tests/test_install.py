"""The packs in top-level rules/ ship inside the installed package.

Builds a wheel from this checkout, installs it into a fresh virtual
environment, and runs the installed command from an unrelated folder, where
the source tree can't be imported by accident."""

import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from .conftest import ROOT


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    base = tmp_path_factory.mktemp("install")
    wheels = base / "wheels"
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(ROOT)],
        capture_output=True, text=True,
    )
    if build.returncode != 0:
        pytest.fail(f"building the wheel failed:\n{build.stderr[-2000:]}")
    wheel = next(wheels.glob("chipclean-*.whl"))
    env_dir = base / "venv"
    # dependencies come from the test environment; chipclean itself only from the
    # wheel, even when the test environment has chipclean installed too
    venv.EnvBuilder(system_site_packages=True, with_pip=True).create(env_dir)
    # system_site_packages reaches the base interpreter only; when the tests
    # run from a virtual environment its packages are made visible too
    import site
    import sysconfig

    purelib = sysconfig.get_paths(vars={"base": str(env_dir), "platbase": str(env_dir)})["purelib"]
    (Path(purelib) / "_test_env.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    pip = subprocess.run(
        [str(env_dir / "bin" / "python"), "-m", "pip", "install", "-q", "--no-deps", "--ignore-installed", str(wheel)],
        capture_output=True, text=True,
    )
    assert pip.returncode == 0, pip.stderr
    elsewhere = base / "elsewhere"
    elsewhere.mkdir()
    return wheel, env_dir, elsewhere


def test_wheel_contains_rule_packs(installed):
    wheel, _, _ = installed
    names = zipfile.ZipFile(wheel).namelist()
    packs = [n for n in names if n.startswith("chipclean/rules/") and n.endswith(".yaml")]
    shipped = sorted((ROOT / "rules").rglob("*.yaml"))
    assert len(packs) == len(shipped) > 0


def test_installed_command_loads_packs_from_anywhere(installed):
    _, env_dir, elsewhere = installed
    exe = str(env_dir / "bin" / "chipclean")
    listed = subprocess.run([exe, "rules", "list"], cwd=elsewhere, capture_output=True, text=True)
    assert listed.returncode == 0, listed.stderr
    assert "zh-disclaimers.platform-stance" in listed.stdout
    where = subprocess.run(
        [str(env_dir / "bin" / "python"), "-c", "import chipclean.rulepack as r; print(r.default_rules_dir())"],
        cwd=elsewhere, capture_output=True, text=True,
    )
    assert str(env_dir) in where.stdout, where.stdout + where.stderr
    tested = subprocess.run([exe, "rules", "test"], cwd=elsewhere, capture_output=True, text=True)
    assert tested.returncode == 0, tested.stderr[-3000:]
