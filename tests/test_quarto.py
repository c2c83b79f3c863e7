"""The Quarto front door, tested as far as it runs without Quarto itself."""

import subprocess
import sys

import yaml


def test_quarto_project_names_the_render_steps(built):
    config = yaml.safe_load((built.root / "_quarto.yml").read_text(encoding="utf-8"))
    assert config["project"]["pre-render"] == "python -m hæfte quarto pre-render"
    assert config["project"]["post-render"] == "python -m hæfte quarto post-render"
    assert config["project"]["render"] == ["report/index.qmd"]
    assert config["lang"] == "da"
    index = (built.root / "report/index.qmd").read_text(encoding="utf-8")
    assert "{{< include _generated/haefte.md >}}" in index


def test_pre_and_post_render_reuse_the_same_markdown(built):
    env = {"QUARTO_PROJECT_DIR": str(built.root), "PATH": "/usr/bin:/bin"}
    pdf = built.output_dir / "haefte.pdf"
    pdf.unlink()
    for step in ("pre-render", "post-render"):
        result = subprocess.run([sys.executable, "-m", "hæfte", "quarto", step], cwd="/", env=env,
                                capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
    generated = (built.root / "report/_generated/haefte.md").read_text(encoding="utf-8")
    assert generated == (built.output_dir / "haefte.md").read_text(encoding="utf-8")
    assert sorted(p.name for p in (built.root / "report/figurer").iterdir()) == ["figur1.svg", "figur2.svg", "socialmix.svg"]
    assert pdf.read_bytes().startswith(b"%PDF-")
