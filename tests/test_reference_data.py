"""The reconstructed reference data is exactly what the committed generator writes."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def load_generator():
    spec = importlib.util.spec_from_file_location("make_reference_data", ROOT / "tools/make_reference_data.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generator_reproduces_the_committed_files(tmp_path):
    load_generator().main(tmp_path)
    written = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    assert written == sorted(p.relative_to(ROOT / "data") for p in (ROOT / "data").rglob("*")
                             if p.is_file() and p.suffix in (".csv", ".yaml"))
    for rel in written:
        assert (tmp_path / rel).read_bytes() == (ROOT / "data" / rel).read_bytes(), rel


def test_reference_data_is_labelled_as_reconstructed():
    readme = (ROOT / "data/README.md").read_text(encoding="utf-8")
    assert "rekonstrueret referencedata" in readme.lower()
    assert "rekonstrueret referencedata" in (ROOT / "data/fakta/publikation.yaml").read_text(encoding="utf-8")


def test_data_readme_documents_the_enforced_schemas(project):
    from hæfte import contract_doc

    assert contract_doc.is_current(project), "data/README.md is stale: run 'hæfte contract --write'"
    readme = (ROOT / "data/README.md").read_text(encoding="utf-8")
    assert "| `ka_perioden` | 'Ja', 'Nej', 'Ved ikke' eller tom | kommunal anvisning: anvendt i programperioden |" in readme
