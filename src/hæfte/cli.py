"""The ``hæfte`` command line. Every command acts on the project in the current folder,
or the one named by ``--project``.

User errors (``HaefteError``) and errors of the operating system (a full disk, a read-only or
unreadable file, a port in use: ``OSError``, named by its path) print one line, ``fejl: …``, and
exit with status 2; ``--verbose`` shows the traceback too.
"""

from __future__ import annotations

import errno
import os
import sys
from pathlib import Path

import click

from hæfte import __version__
from hæfte.errors import HaefteError
from hæfte.project import Project


class Context:
    def __init__(self, project: Path | None, verbose: bool):
        self.project_dir = project
        self.verbose = verbose

    @property
    def project(self) -> Project:
        return Project.find(self.project_dir)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--project", "-p", type=click.Path(file_okay=False, path_type=Path),
              help="projektmappen (standard: den aktuelle mappe)")
@click.option("--verbose", "-v", is_flag=True, help="vis hele tracebacken ved fejl")
@click.version_option(__version__, prog_name="hæfte")
@click.pass_context
def cli(ctx: click.Context, project: Path | None, verbose: bool) -> None:
    """hæfte: byg et dansk forskningshæfte fra data og tekstskabeloner."""
    ctx.obj = Context(project, verbose)


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="maskinlæsbare poster i stedet for en tabel")
@click.pass_obj
def figures(obj: Context, as_json: bool) -> None:
    """Beregn alle tal og vis figurkataloget."""
    from hæfte import catalogue, pipeline

    results = pipeline.results(obj.project)
    click.echo(catalogue.as_json(results) if as_json else catalogue.as_table(results))


@cli.command()
@click.option("--beskaering", is_flag=True, help="3 mm beskæring og skæremærker i tryk-PDF'en (til trykkeriet)")
@click.option("--udgivelse", is_flag=True,
              help="udgivelse: afvis et udkast, hvor oplysninger i data/fakta/publikation.yaml er ukendte (null)")
@click.pass_obj
def build(obj: Context, beskaering: bool, udgivelse: bool) -> None:
    """Byg hele hæftet: tal, tekst, figurer, webversion og PDF."""
    from hæfte import build as builder

    project = obj.project
    click.echo(f"Bygger hæftet i {project.root}")
    report = builder.build(project, echo=click.echo, bleed=beskaering, release=udgivelse)
    total = sum(seconds for _, seconds in report.steps)
    click.echo(f"Færdig på {total:.1f} s:")
    for name, path in report.outputs.items():
        click.echo(f"  {name:<4} {project.shown(path)}")


@cli.command()
@click.pass_obj
def watch(obj: Context) -> None:
    """Byg hæftet igen, hver gang data, skabeloner eller styles ændres."""
    from hæfte import preview

    previewer = preview.Previewer(obj.project, echo=click.echo)
    previewer.rebuild()
    click.echo("Holder øje med data/, templates/ og styles/ (Ctrl-C stopper)")
    preview.watch(previewer)


@cli.command("preview")
@click.option("--port", default=8000, show_default=True, help="porten på 127.0.0.1")
@click.pass_obj
def preview_command(obj: Context, port: int) -> None:
    """Vis webversionen på http://127.0.0.1:PORT og genindlæs ved ændringer."""
    from hæfte import preview

    previewer = preview.Previewer(obj.project, echo=click.echo)
    previewer.rebuild()
    server = preview.serve(previewer, port)
    click.echo(f"Webversionen: http://127.0.0.1:{port}/ (Ctrl-C stopper)")
    try:
        preview.watch(previewer)
    finally:
        server.shutdown()


@cli.command()
@click.pass_obj
def check(obj: Context) -> None:
    """Genberegn og byg, og fejl hvis et citeret tal afviger fra figurer.lock.json."""
    from hæfte import check as checker

    result = checker.check(obj.project)
    click.echo(checker.format_report(result))
    if not result.ok:
        sys.exit(1)


@cli.command()
@click.pass_obj
def lock(obj: Context) -> None:
    """Lås de nuværende tal og skriv en ændringsrapport til redaktørerne."""
    from hæfte import check as checker

    project = obj.project
    path, report_path, report = checker.make_lock(project)
    click.echo(report.rstrip())
    click.echo(f"\nLåst: {project.relative(path)}; rapport: {project.relative(report_path)}")


@cli.command()
@click.option("--write", is_flag=True, help="skriv listen ind i templates/README.md")
@click.pass_obj
def docs(obj: Context, write: bool) -> None:
    """Vis alle navne, skabelonerne kan bruge (eller skriv dem ind i redaktørvejledningen)."""
    from hæfte import editor_doc

    project = obj.project
    if write:
        changed = editor_doc.write(project)
        click.echo("templates/README.md opdateret" if changed else "templates/README.md er allerede opdateret")
    else:
        click.echo(editor_doc.generated(project), nl=False)


@cli.group()
def register() -> None:
    """Registertrinnet: mikrodata til aggregater (kører på forskerserveren)."""


@register.command("aggregate")
@click.option("--personer", "persons", required=True, type=click.Path(path_type=Path), help="personår (Parquet eller CSV)")
@click.option("--flytninger", "moves", required=True, type=click.Path(path_type=Path), help="flytninger (Parquet eller CSV)")
@click.option("--out", "out", default=Path("data/register"), show_default=True, type=click.Path(path_type=Path))
@click.option("--min", "minimum", default=5, show_default=True, help="mindste antal personer i en celle")
@click.option("--memory", default="1500MB", show_default=True, help="DuckDB's hukommelsesgrænse")
def register_aggregate(persons: Path, moves: Path, out: Path, minimum: int, memory: str) -> None:
    """Skriv beboere.csv og flytninger.csv fra mikrodata, med diskretion."""
    from hæfte import register as reg

    report = reg.aggregate(persons, moves, out, minimum=minimum, memory_limit=memory)
    click.echo(f"{out / 'beboere.csv'}: {report.rows} rækker ({report.withheld} tilbageholdt, under {minimum} personer)")
    click.echo(f"{out / 'flytninger.csv'}: {report.moves_rows} rækker ({report.moves_withheld} tilbageholdt)")


@register.command("synth")
@click.option("--persons", required=True, type=int, help="antal personer pr. år")
@click.option("--years", default="2004-2013", show_default=True, help="årene, fx 2004-2013")
@click.option("--out", required=True, type=click.Path(path_type=Path))
@click.option("--seed", default=2017, show_default=True)
@click.option("--format", "fmt", type=click.Choice(["parquet", "csv"]), default="parquet", show_default=True)
@click.pass_obj
def register_synth(obj: Context, persons: int, years: str, out: Path, seed: int, fmt: str) -> None:
    """Lav syntetiske mikrodata (seedet) i projektets boligafdelinger."""
    from hæfte import pipeline, register as reg

    first, _, last = years.partition("-")
    afdelinger = list(pipeline.tables(obj.project).afdelinger["afdeling_id"])
    paths = reg.synth(out, persons, (int(first), int(last or first)), afdelinger, seed=seed, fmt=fmt)
    click.echo("skrev " + " og ".join(str(p) for p in paths))


@cli.group()
def quarto() -> None:
    """Trinene, som `quarto render` kører før og efter (se _quarto.yml)."""


@quarto.command("pre-render")
@click.pass_obj
def quarto_pre(obj: Context) -> None:
    """Skriv den genererede Markdown og figurerne til report/."""
    from hæfte import quarto as q

    project = q.project_from_env(lambda: obj.project)
    path = q.pre_render(project, echo=click.echo)
    click.echo(f"  skrev {project.relative(path)}")


@quarto.command("post-render")
@click.pass_obj
def quarto_post(obj: Context) -> None:
    """Lav PDF'en med WeasyPrint fra den samme Markdown."""
    from hæfte import quarto as q

    project = q.project_from_env(lambda: obj.project)
    path = q.post_render(project)
    click.echo(f"  skrev {project.relative(path)}")


@cli.command()
@click.option("--write", is_flag=True, help="skriv afsnittet ind i data/README.md")
@click.pass_obj
def contract(obj: Context, write: bool) -> None:
    """Vis datakontraktens kolonner (eller skriv dem ind i data/README.md)."""
    from hæfte import contract_doc

    project = obj.project
    if write:
        changed = contract_doc.write(project)
        click.echo("data/README.md opdateret" if changed else "data/README.md er allerede opdateret")
    else:
        click.echo(contract_doc.generated(project), nl=False)


_OS_ERRORS = {
    "ENOSPC": "disken er fuld",
    "EDQUOT": "diskkvoten er brugt op",
    "EROFS": "filsystemet er skrivebeskyttet",
    "EACCES": "adgang nægtet (filen eller mappen er skrivebeskyttet eller ulæselig)",
    "EPERM": "handlingen er ikke tilladt",
    "EISDIR": "er en mappe, men skal være en fil",
    "ENOTDIR": "en del af stien er en fil, men skal være en mappe",
    "ENOENT": "findes ikke",
    "EEXIST": "findes allerede",
    "ENOTEMPTY": "mappen er ikke tom",
    "EBUSY": "er i brug af et andet program",
    "EIO": "kan ikke læses eller skrives (ind- eller udlæsningsfejl)",
    "ENAMETOOLONG": "stien er for lang",
    "EMFILE": "for mange åbne filer",
    "EADDRINUSE": "porten er allerede i brug: vælg en anden med --port",
}


def _shown_path(path) -> str:
    path = Path(os.fsdecode(path))
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except (ValueError, OSError):
        return str(path)


def _port(argv: list[str]) -> str:
    for i, arg in enumerate(argv):
        if arg == "--port" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--port="):
            return arg.split("=", 1)[1]
    return "8000"


def os_error_message(exc: OSError, argv: list[str]) -> str:
    """One Danish line for an error of the operating system: the path (or port) and what is wrong."""
    code = errno.errorcode.get(exc.errno or 0, "")
    reason = _OS_ERRORS.get(code) or (exc.strerror or str(exc))
    reason += f" ({code})" if code else ""
    if exc.filename is not None:
        where = _shown_path(exc.filename)
    elif code == "EADDRINUSE":
        where = f"127.0.0.1:{_port(argv)}"
    else:
        return reason
    return f"{where}: {reason}"


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    verbose = "--verbose" in args or "-v" in args
    try:
        cli.main(args=argv, prog_name="hæfte", standalone_mode=False)
    except HaefteError as exc:
        if verbose:
            import traceback
            traceback.print_exc()
        click.echo(f"fejl: {exc}", err=True)
        sys.exit(exc.exit_code)
    except OSError as exc:  # full disk, read-only folder, unreadable file, port in use: not a bug
        if verbose:
            import traceback
            traceback.print_exc()
        click.echo(f"fejl: {os_error_message(exc, args)}", err=True)
        sys.exit(2)
    except click.exceptions.Abort:
        click.echo("afbrudt", err=True)
        sys.exit(1)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
