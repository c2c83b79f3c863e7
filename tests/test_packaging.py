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


def project_table() -> dict:
    import tomllib

    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def requirement_name(requirement: str) -> str:
    import re

    return re.sub(r"[-_.]+", "-", re.match(r"[A-Za-z0-9_.-]+", requirement).group(0)).lower()


def test_lower_bounds_are_those_the_lowest_install_passed_with():
    """tools/check_lower_bounds.py installs every direct dependency at its lower bound, runs the
    tests and writes what it installed; a bound changed without a new run fails here."""
    import importlib.util

    from packaging.version import Version

    spec = importlib.util.spec_from_file_location("check_lower_bounds", ROOT / "tools/check_lower_bounds.py")
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    lines = (ROOT / "tools/lower_bounds.txt").read_text(encoding="utf-8").splitlines()
    verified = dict(line.split("==") for line in lines if line and not line.startswith("#"))
    bounds = dict(tool.direct_dependencies())
    assert set(verified) == set(bounds)
    for name, bound in bounds.items():
        assert Version(verified[name]) == Version(bound), (name, bound, verified[name])


def test_every_imported_distribution_is_declared_and_every_declared_one_is_imported():
    import ast
    import importlib.metadata

    providers = importlib.metadata.packages_distributions()
    imported = set()
    for path in (ROOT / "src" / "hæfte").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module] if isinstance(node, ast.ImportFrom) and node.module and not node.level else []
            for name in names:
                top = name.split(".")[0]
                if top in providers and top != "hæfte":
                    imported |= {requirement_name(d) for d in providers[top]}
    project = project_table()
    declared = {requirement_name(r) for r in project["dependencies"]}
    declared_register = {requirement_name(r) for r in project["optional-dependencies"]["register"]}
    assert imported == declared | declared_register


def test_duckdb_is_an_extra_the_readme_install_includes():
    project = project_table()
    assert not any(requirement_name(r) == "duckdb" for r in project["dependencies"])
    assert project["optional-dependencies"]["register"] == ["duckdb>=1.1"]
    assert "haefte[register]" in project["optional-dependencies"]["test"]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "pip install -q -c constraints.txt -e '.[test]'" in readme
