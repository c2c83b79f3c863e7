"""The Quarto front door, run as Quarto runs it.

Quarto cannot be installed here, so this file re-does in Python what quarto-cli does around the
project's scripts, from its source at ``quarto.QUARTO_COMMIT`` (cited as path:line): how a
command is split, which Python runs a ``.py`` script, the environment the script gets, the
``_environment`` files, what bare ``quarto preview`` requires and what ``.gitignore`` must hold.
Between the two steps Quarto renders ``index.qmd`` with pandoc; ``quarto_like_page`` does that
part with the same pandoc, so that the links of the page can be checked.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pypandoc
import pytest
import yaml
from pypdf import PdfReader

from hæfte import lock, quarto
from hæfte.project import Project

ROOT = Path(__file__).resolve().parents[1]
VENV = Path(sys.prefix)  # the environment running the tests: the README's .venv, or tools/check_lower_bounds.py's
# What a user's PATH holds without an activated venv (Debian: no `python`, only `python3`).
PLAIN_PATH = "/usr/local/bin:/usr/bin:/bin"


def parse_shell_run_command(line: str) -> list[str]:
    """quarto-cli src/core/run/shell.ts:8-23: split on spaces; double quotes keep spaces."""
    space = "{{space}}"
    while space in line:
        space += "&"
    no_spaces = re.sub(r'"([^"]*)"?', lambda m: m.group(1).replace(" ", space), line)
    return [part.replace(space, " ") for part in re.split(r" +", no_spaces)]


def parse_dotenv(text: str) -> dict[str, str]:
    """The subset of @std/dotenv 0.225.3's parse that an _environment file uses: KEY=value,
    optional `export`, single or double quotes, comments and blank lines."""
    found = {}
    for line in text.splitlines():
        m = re.match(r"\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=[ \t]*('([^']*)'|\"([^\"]*)\"|([^#\r\n]*))", line)
        if m:
            found[m.group(1)] = m.group(3) if m.group(3) is not None else (
                m.group(4) if m.group(4) is not None else m.group(5).strip())
    return found


def with_dotenv(root: Path, env: dict[str, str]) -> dict[str, str]:
    """src/quarto-core/dotenv.ts:42-75: _environment, _environment-<profile>, _environment.local,
    read from the most specific; a variable is set only when the environment lacks it."""
    env = dict(env)
    profiles = [p for p in env.get("QUARTO_PROFILE", "").split(",") if p]
    files = [root / "_environment", *[root / f"_environment-{p}" for p in reversed(profiles)],
             root / "_environment.local"]
    for path in reversed([f for f in files if f.exists()]):
        for key, value in parse_dotenv(path.read_text(encoding="utf-8")).items():
            env.setdefault(key, value)
    return env


def python_for_scripts(env: dict[str, str]) -> str:
    """pythonExec() on Linux (src/core/jupyter/exec.ts:20-30 with capabilities.ts:47-90 and
    163-205): QUARTO_PYTHON if it exists, else a conda `python`, else `python3` from PATH; the
    command used is the `executable` that interpreter reports (resources/capabilities/jupyter.py)."""
    candidates = []
    if env.get("QUARTO_PYTHON"):
        chosen = env["QUARTO_PYTHON"]
        if not os.path.isabs(chosen):
            chosen = shutil.which(chosen, path=env["PATH"]) or chosen
        if os.path.isdir(chosen):
            chosen = next((os.path.join(chosen, b) for b in ("python3", "python") if os.path.exists(os.path.join(chosen, b))), "")
        if chosen and os.path.exists(chosen):
            candidates.append(chosen)
    python = shutil.which("python", path=env["PATH"])
    if python and os.path.exists(os.path.join(os.path.dirname(os.path.dirname(python)), "conda-meta", "history")):
        candidates.append(python)
    candidates.append(shutil.which("python3", path=env["PATH"]) or "python3")
    reported = subprocess.run([candidates[0], "-c", "import sys; print(sys.executable)"], capture_output=True,
                              text=True, env={"PATH": env["PATH"]})
    return reported.stdout.strip() or candidates[0]


def run_like_quarto(root: Path, command: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    """src/command/render/project.ts:934-1001 (runScripts): no shell, cwd = the project folder,
    a `.py` first word run by the Python handler (src/core/run/python.ts:14-35)."""
    args = parse_shell_run_command(command)
    if args[0].lower().endswith(".py"):
        argv = [python_for_scripts(env), args[0], *args[1:]]
    else:
        argv = [shutil.which(args[0], path=env["PATH"]) or args[0], *args[1:]]
    return subprocess.run(argv, cwd=root, env=env, capture_output=True, text=True, encoding="utf-8")


def quarto_env(root: Path, out: Path) -> dict[str, str]:
    """The environment the scripts get: the user's (a plain PATH), the _environment files
    (read when the project context is made, project-context.ts:237), QUARTO_PROJECT_DIR
    (render-shared.ts:74-77) and the variables of project.ts:302-307 and 952-953."""
    user = {"PATH": PLAIN_PATH, "HOME": os.environ.get("HOME", str(root)), "LANG": "C.UTF-8",
            # the date a reproducible release is built with (the session's build has it: conftest.py)
            "SOURCE_DATE_EPOCH": os.environ["SOURCE_DATE_EPOCH"]}
    return {**with_dotenv(root, user), "QUARTO_PROJECT_DIR": str(root), "QUARTO_PROJECT_OUTPUT_DIR": str(out),
            "QUARTO_PROJECT_RENDER_ALL": "1", "QUARTO_PROJECT_SCRIPT_PROGRESS": "0",
            "QUARTO_PROJECT_SCRIPT_QUIET": "0"}


def quarto_like_page(root: Path, out: Path) -> Path:
    """What Quarto does between the steps, with pandoc as Quarto does: the include inlined
    (src/core/handlers/include-standalone.ts), {{< var >}} from _variables.yml, and the page's
    <img src> resources copied into the output folder (src/core/html.ts:89-119)."""
    variables = yaml.safe_load((root / "_variables.yml").read_text(encoding="utf-8"))
    text = (root / "index.qmd").read_text(encoding="utf-8")
    text = re.sub(r"\{\{< include (\S+) >\}\}", lambda m: (root / m.group(1)).read_text(encoding="utf-8"), text)
    text = re.sub(r"\{\{< var (\S+) >\}\}", lambda m: variables[m.group(1)], text)
    page = pypandoc.convert_text(text, "html5", format="markdown", extra_args=["--standalone", "--toc", "--section-divs"])
    out.mkdir(parents=True, exist_ok=True)
    (out / "index.html").write_text(page, encoding="utf-8")
    for src in re.findall(r'<img src="([^"]+)"', page):
        (out / src).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / src, out / src)
    return out / "index.html"


@pytest.fixture()
def quarto_project(built, tmp_path):
    """A copy of the built project with the Quarto files of this repository and a .venv as the
    README's set-up makes it (a link to this worktree's venv); no _environment unless a test
    writes one."""
    root = tmp_path / "projekt"
    shutil.copytree(built.root, root, symlinks=True)
    for name in ("index.qmd", ".gitignore"):
        shutil.copy2(ROOT / name, root / name)
    shutil.copytree(ROOT / "report", root / "report", dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("_generated", "__pycache__"))
    (root / ".venv").unlink(missing_ok=True)
    (root / ".venv").symlink_to(VENV)
    yield root
    (root / ".venv").unlink(missing_ok=True)
    for name in ("_environment", "_environment.local"):
        (root / name).unlink(missing_ok=True)


def config() -> dict:
    return yaml.safe_load((ROOT / "_quarto.yml").read_text(encoding="utf-8"))


def test_steps_are_python_scripts_and_bare_preview_finds_a_root_index():
    project = config()["project"]
    assert parse_shell_run_command(project["pre-render"]) == ["report/render_step.py", "pre-render"]
    assert parse_shell_run_command(project["post-render"]) == ["report/render_step.py", "post-render"]
    # serve.ts:179-201: a default project is previewed only with an input whose stem is index
    # at the project root.
    assert project["type"] == "default"
    assert any(Path(f).parent == Path(".") and Path(f).stem == "index" for f in project["render"])
    index = (ROOT / "index.qmd").read_text(encoding="utf-8")
    assert '\npagetitle: "{{< var titel >}}"\n' in index
    assert "\n{{< include report/_generated/haefte.md >}}\n" in index


def test_gitignore_holds_the_lines_quarto_would_append():
    # project-gitignore.ts:18 and 26-44: Quarto rewrites .gitignore unless each line is there exactly.
    lines = [line.strip() for line in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()]
    for required in ("/.quarto/", "**/*.quarto_ipynb", "/_*.local"):
        assert required in lines


def test_quarto_render_runs_both_steps_as_quarto_does(quarto_project, built):
    root, out = quarto_project, quarto_project / "_output/quarto"
    shutil.rmtree(out, ignore_errors=True)
    env = quarto_env(root, out)
    assert shutil.which("python", path=env["PATH"]) is None  # the venv is not on the PATH
    pre = run_like_quarto(root, config()["project"]["pre-render"], {**env, "QUARTO_PROJECT_INPUT_FILES": "index.qmd"})
    assert pre.returncode == 0, pre.stderr
    page = quarto_like_page(root, out)
    post = run_like_quarto(root, config()["project"]["post-render"],
                           {**env, "QUARTO_PROJECT_OUTPUT_FILES": "_output/quarto/index.html"})
    assert post.returncode == 0, post.stderr
    assert post.stdout.strip().endswith("skrev _output/quarto/haefte.pdf")

    # The PDF and the figure catalogue are inside Quarto's output folder: `quarto publish` ships them.
    assert (out / "haefte.pdf").read_bytes() == (built.output_dir / "haefte.pdf").read_bytes()
    first_page = PdfReader(out / "haefte.pdf").pages[0].extract_text()
    title = yaml.safe_load((root / "data/fakta/publikation.yaml").read_text(encoding="utf-8"))["titel"]
    assert title in " ".join(first_page.split())  # on the cover, under the draft label while one is unknown
    catalogue = (out / "katalog.html").read_text(encoding="utf-8")
    assert re.search(r'<tr [^>]*id="kommuner\.ka\.perioden"', catalogue)
    # No link of the page or the catalogue leads nowhere (the page links every quoted figure).
    html = page.read_text(encoding="utf-8")
    markdown = (root / "report/_generated/haefte.md").read_text(encoding="utf-8")
    quoted = (built.output_dir / "haefte.md").read_text(encoding="utf-8").count("){.tal}")  # as hæfte build quotes them
    assert html.count('href="katalog.html#') == markdown.count("](katalog.html#") == quoted > 50
    assert quarto.dead_links([page, out / "katalog.html"], out) == []
    assert (out / "figurer/figur1.svg").is_file() and (out / "assets/web.css").is_file()
    # The title comes from the data.
    assert " ".join(re.search(r"<title>(.*?)</title>", html, re.S).group(1).split()) == title
    variables = yaml.safe_load((root / "_variables.yml").read_text(encoding="utf-8"))
    assert variables["titel"] == title


def test_the_quarto_markdown_is_the_booklet_the_lock_records(quarto_project, built):
    """Identity with the embedded build, and with what does not come from the function under
    test: the sentences in the committed figurer.lock.json, the published figures and the
    charts the templates ask for."""
    root = quarto_project
    result = run_like_quarto(root, config()["project"]["pre-render"], quarto_env(root, root / "_output/quarto"))
    assert result.returncode == 0, result.stderr
    markdown = (root / "report/_generated/haefte.md").read_text(encoding="utf-8")
    assert markdown == (built.output_dir / "haefte.md").read_text(encoding="utf-8")
    locked = json.loads((ROOT / "figurer.lock.json").read_text(encoding="utf-8"))
    assert [text for text, _ in lock.sentences_with_figures(markdown)] == \
        [sentence for section in locked["sentences"].values() for sentence in section]
    assert "[78\u00a0pct.](katalog.html#kommuner.ka.perioden){.tal}" in markdown
    assert "[2,2\u00a0mia.\u00a0kr.](katalog.html#program.bevilling){.tal}" in markdown
    asked = sorted(set(re.findall(r'figur\("(\w+)"', "".join(
        p.read_text(encoding="utf-8") for p in (ROOT / "templates").glob("*.j2")))))
    assert sorted(p.stem for p in (root / "figurer").glob("*.svg")) == asked
    for chart in asked:
        assert f'<img src="figurer/{chart}.svg"' in markdown


def test_variables_list_every_file_preview_must_watch(quarto_project):
    """quarto preview re-renders when a file named in the configuration changes
    (project-context.ts:1011-1049, watch.ts:342-351); _variables.yml names them all, and the
    committed copy is what pre-render writes for this repository."""
    committed = (ROOT / "_variables.yml").read_text(encoding="utf-8")
    assert committed == quarto.variables_text(Project.find(ROOT), yaml.safe_load(
        (ROOT / "data/fakta/publikation.yaml").read_text(encoding="utf-8"))["titel"])
    listed = yaml.safe_load(committed)["kilder"]
    assert "templates/02_resultater.md.j2" in listed and "data/survey/kommuner.csv" in listed
    assert "data/fakta/publikation.yaml" in listed and "styles/print.css" in listed
    on_disk = {p.relative_to(ROOT).as_posix() for folder in ("data", "templates") for p in (ROOT / folder).rglob("*")
               if p.is_file() and p.name != "README.md"}
    assert on_disk <= set(listed)


def test_quarto_python_from_the_environment_file(quarto_project):
    """Without a .venv, QUARTO_PYTHON in _environment chooses the Python (dotenv.ts and
    capabilities.ts:47-54); the script then runs hæfte in that interpreter."""
    root = quarto_project
    (root / ".venv").unlink()
    (root / "_environment").write_text(f"# Quarto\nQUARTO_PYTHON={VENV / 'bin/python'}\n", encoding="utf-8")
    env = quarto_env(root, root / "_output/quarto")
    assert env["QUARTO_PYTHON"] == str(VENV / "bin/python")
    result = run_like_quarto(root, config()["project"]["pre-render"], env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("skrev report/_generated/haefte.md")


def test_without_any_python_with_haefte_the_step_says_what_to_do(tmp_path):
    (tmp_path / "report").mkdir()
    shutil.copy2(ROOT / "report/render_step.py", tmp_path / "report/render_step.py")
    env = {"PATH": PLAIN_PATH, "QUARTO_PROJECT_DIR": str(tmp_path)}
    python = python_for_scripts(env)
    result = run_like_quarto(tmp_path, "report/render_step.py pre-render", env)
    assert result.returncode == 2
    assert result.stderr == (f"fejl: {python}: fandt ingen Python med hæfte: lav projektets .venv som i "
                             "README.md, eller sæt QUARTO_PYTHON til den Python, hæfte er installeret i\n")


def load_render_step():
    spec = importlib.util.spec_from_file_location("render_step", ROOT / "report/render_step.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_venv_is_found_on_windows_and_posix_layouts(tmp_path):
    step = load_render_step()
    assert step.venv_python(tmp_path) is None
    (tmp_path / ".venv/bin").mkdir(parents=True)
    (tmp_path / ".venv/bin/python").write_text("")
    assert step.venv_python(tmp_path) == tmp_path / ".venv/bin/python"
    (tmp_path / ".venv/Scripts").mkdir()
    (tmp_path / ".venv/Scripts/python.exe").write_text("")
    assert step.venv_python(tmp_path) == tmp_path / ".venv/Scripts/python.exe"


def test_quarto_project_dir_does_not_silently_override_the_project_option(tmp_path):
    other = tmp_path / "andet"
    (other / "data").mkdir(parents=True)
    result = subprocess.run([str(VENV / "bin/hæfte"), "--projekt", str(ROOT), "quarto", "pre-render"],
                            capture_output=True, text=True, env={**os.environ, "QUARTO_PROJECT_DIR": str(other)})
    assert result.returncode == 2
    assert result.stderr == f"fejl: --projekt {ROOT} og QUARTO_PROJECT_DIR={other} peger på hver sin mappe; fjern den ene\n"


def test_dead_links_are_named(tmp_path):
    (tmp_path / "a.html").write_text('<p id="x"><a href="#x">ok</a> <a href="#y">no</a> <a href="b.html#z">no</a>'
                                     ' <a href="b.html">ok</a> <img src="c.svg"> <a href="https://x.dk/">ok</a></p>',
                                     encoding="utf-8")
    (tmp_path / "b.html").write_text('<p id="q"></p>', encoding="utf-8")
    assert quarto.dead_links([tmp_path / "a.html"], tmp_path) == ["a.html → #y", "a.html → b.html#z", "a.html → c.svg"]
