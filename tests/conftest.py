"""Shared fixtures: the project's own reference data, and throw-away copies to break."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from hæfte import pipeline
from hæfte.project import Project

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def project() -> Project:
    return Project.find(ROOT)


@pytest.fixture(scope="session")
def results(project):
    return pipeline.results(project)


@pytest.fixture()
def copy_project(tmp_path) -> Path:
    """A copy of the project's data (and templates, when present) to modify in a test."""
    target = tmp_path / "projekt"
    shutil.copytree(ROOT / "data", target / "data")
    for extra in ("templates", "report", "styles"):
        if (ROOT / extra).is_dir():
            shutil.copytree(ROOT / extra, target / extra)
    return target


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """One full build of a copy of the project, shared by the output tests."""
    from hæfte.build import build

    target = tmp_path_factory.mktemp("bygget") / "projekt"
    for part in ("data", "templates", "styles", "report"):
        shutil.copytree(ROOT / part, target / part, ignore=shutil.ignore_patterns("_generated", "figurer"))
    shutil.copy2(ROOT / "_quarto.yml", target / "_quarto.yml")
    project = Project.find(target)
    build(project)
    return project


@pytest.fixture()
def full_copy(tmp_path) -> Path:
    """A copy of everything a build needs, lock file included."""
    target = tmp_path / "projekt"
    for part in ("data", "templates", "styles"):
        shutil.copytree(ROOT / part, target / part)
    shutil.copy2(ROOT / "figurer.lock.json", target / "figurer.lock.json")
    return target
