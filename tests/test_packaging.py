"""The non-ASCII import package 'hæfte' survives every way of installing and running it."""

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import hæfte

ROOT = Path(__file__).resolve().parents[1]


def test_tests_run_against_the_editable_source():
    assert Path(hæfte.__file__).resolve() == ROOT / "src" / "hæfte" / "__init__.py"


def test_console_scripts_of_the_installed_environment():
    bindir = Path(sys.executable).parent
    for name in ("hæfte", "haefte"):
        result = subprocess.run([str(bindir / name), "--version"], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        assert result.stdout == f"hæfte, version {hæfte.__version__}\n"


def test_python_dash_m():
    result = subprocess.run([sys.executable, "-m", "hæfte", "--version"], capture_output=True, text=True)
    assert result.stdout == f"hæfte, version {hæfte.__version__}\n"


def test_wheel_build_and_install(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                    "-w", str(tmp_path / "dist"), str(ROOT)], check=True, capture_output=True)
    wheel = next((tmp_path / "dist").glob("haefte-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "hæfte/__init__.py" in names and "hæfte/compute/social_mix.py" in names
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    text = zipfile.ZipFile(wheel).read(entry_points).decode("utf-8")
    assert "hæfte = hæfte.cli:main" in text and "haefte = hæfte.cli:main" in text
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
                   check=True, capture_output=True)
    env = {**os.environ, "PYTHONPATH": str(target)}
    result = subprocess.run([str(target / "bin" / "hæfte"), "--version"], capture_output=True, text=True, env=env,
                            cwd=tmp_path)
    assert result.stdout == f"hæfte, version {hæfte.__version__}\n", result.stderr
    imported = subprocess.run([sys.executable, "-c", "import hæfte; print(hæfte.__file__)"], capture_output=True,
                              text=True, env=env, cwd=tmp_path)
    assert imported.stdout.strip() == str(target / "hæfte" / "__init__.py")
