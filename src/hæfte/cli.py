"""The ``hæfte`` command line: a thin layer over the Python API (``hæfte.api``).

In:  the command line; every command acts on the project in the current folder, or the one
     named by ``--projekt``.
Out: text on standard output, errors as one line ``fejl: …`` on standard error (user errors and
     errors of the operating system: a full disk, a read-only or unreadable file, a port in use,
     named by its path), and an exit status:

====  =====================================================================================
0     done
1     ``hæfte check`` ran and found drifted figures, stray numbers, typed digits or false claims
2     bad input: data, templates, styles or the project folder (``fejl: <fil>, række N, …``)
64    wrong use of the command line: unknown command or option, a missing or bad value
      (``EX_USAGE`` of BSD's sysexits.h; click's own default, 2, is taken by bad input)
70    an error in hæfte itself (a bug): the traceback is shown, please report it
130   interrupted (Ctrl-C)
====  =====================================================================================

Option names are Danish; where English has a convention every tool follows, the English name
works too (``--projekt``/``--project``, ``--stille``/``--quiet``, ``--detaljer``/``--verbose``,
``--skriv``/``--write``, ``--ud``/``--out``). ``-h/--help`` and ``--version`` are the conventions
themselves. The global options work before and after the command: ``hæfte --projekt X build``
and ``hæfte build --projekt X`` are the same.
"""

from __future__ import annotations

import errno
import os
import sys
import unicodedata
from pathlib import Path

import click

from hæfte import __version__
from hæfte.errors import HaefteError
from hæfte.project import Project

EXIT_CHECK_FAILED = 1
EXIT_USAGE = 64
EXIT_BUG = 70
EXIT_INTERRUPTED = 130

# The global options of this invocation, filled while click parses (before any command runs),
# so that main() knows --detaljer even when the command fails.
_GLOBAL: dict = {}


def _remember(ctx: click.Context, param: click.Parameter, value):
    if value in (None, False):
        return value
    seen = _GLOBAL.get(param.name)
    if seen not in (None, False) and seen != value:
        raise click.BadParameter(f"givet to gange med hver sin værdi ({seen} og {value})", ctx, param)
    _GLOBAL[param.name] = value
    return value


def global_options(command):
    """``--projekt``, ``--stille`` and ``--detaljer`` on the group and on every command."""
    for decorator in reversed((
        click.option("--projekt", "--project", "-p", "project", type=click.Path(file_okay=False, path_type=Path),
                     expose_value=False, callback=_remember,
                     help="projektmappen (standard: den aktuelle mappe)"),
        click.option("--stille", "--quiet", "-q", "quiet", is_flag=True, expose_value=False, callback=_remember,
                     help="kun resultater og fejl, ingen fremdrift"),
        click.option("--detaljer", "--verbose", "-v", "verbose", is_flag=True, expose_value=False,
                     callback=_remember, help="vis hele tracebacken ved fejl"),
    )):
        command = decorator(command)
    return command


class Run:
    """What a command needs from the global options: the project, and where progress goes."""

    @property
    def project_dir(self) -> Path | None:
        return _GLOBAL.get("project")

    @property
    def project(self) -> Project:
        from hæfte.api import as_project

        return as_project(self.project_dir)

    @property
    def quiet(self) -> bool:
        return bool(_GLOBAL.get("quiet"))

    def say(self, text: str) -> None:
        """Progress and confirmations: left out with --stille."""
        if not self.quiet:
            click.echo(text)

    @property
    def progress(self):
        return None if self.quiet else click.echo


pass_run = click.make_pass_decorator(Run, ensure=True)


def _danish_help(option: click.Option | None) -> click.Option | None:
    if option is not None:  # click's own text is English ("Show this message and exit.")
        option.help = "vis denne hjælp og stop"
    return option


class Command(click.Command):
    def get_help_option(self, ctx):
        return _danish_help(super().get_help_option(ctx))


class Group(click.Group):
    """Subcommands inherit the global options, so they may follow the command name."""

    command_class = Command

    def get_help_option(self, ctx):
        return _danish_help(super().get_help_option(ctx))

    def command(self, *args, **kwargs):
        decorator = super().command(*args, **kwargs)
        return lambda f: decorator(global_options(f))

    def group(self, *args, **kwargs):
        kwargs.setdefault("cls", Group)
        decorator = super().group(*args, **kwargs)
        return lambda f: decorator(global_options(f))


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@global_options
@click.version_option(__version__, prog_name="hæfte", help="vis versionen og stop")
def cli() -> None:
    """hæfte: byg et dansk forskningshæfte fra data og tekstskabeloner."""


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="maskinlæsbare poster i stedet for en tabel")
@pass_run
def figures(run: Run, as_json: bool) -> None:
    """Beregn alle tal og vis figurkataloget."""
    from hæfte import api, catalogue

    results = api.results(run.project)
    click.echo(catalogue.as_json(results) if as_json else catalogue.as_table(results))


@cli.command()
@click.option("--beskaering", "bleed", is_flag=True, help="3 mm beskæring og skæremærker i tryk-PDF'en (til trykkeriet)")
@click.option("--udgivelse", "release", is_flag=True,
              help="udgivelse: afvis et udkast, hvor oplysninger i data/fakta/publikation.yaml er ukendte (null)")
@pass_run
def build(run: Run, bleed: bool, release: bool) -> None:
    """Byg hele hæftet: tal, tekst, figurer, webversion og PDF."""
    from hæfte import api

    project = run.project
    run.say(f"Bygger hæftet i {project.root}")
    report = api.build(project, echo=run.progress, bleed=bleed, release=release)
    total = sum(seconds for _, seconds in report.steps)
    run.say(f"Færdig på {total:.1f} s:")
    for name, path in report.outputs.items():
        run.say(f"  {name:<4} {project.shown(path)}")


@cli.command()
@pass_run
def watch(run: Run) -> None:
    """Byg hæftet igen, hver gang data, skabeloner eller styles ændres."""
    from hæfte import preview

    previewer = preview.Previewer(run.project, echo=run.say)
    previewer.rebuild()
    run.say("Holder øje med data/, templates/ og styles/ (Ctrl-C stopper)")
    preview.watch(previewer)


@cli.command("preview")
@click.option("--port", default=8000, show_default=True, help="porten på 127.0.0.1")
@pass_run
def preview_command(run: Run, port: int) -> None:
    """Vis webversionen på http://127.0.0.1:PORT og genindlæs ved ændringer."""
    from hæfte import preview

    previewer = preview.Previewer(run.project, echo=run.say, web_first=True)
    previewer.rebuild()
    server = preview.serve(previewer, port)
    click.echo(f"Webversionen: http://127.0.0.1:{port}/ (Ctrl-C stopper)")
    try:
        preview.watch(previewer)
    finally:
        server.shutdown()
        previewer.close()


@cli.command()
@pass_run
def check(run: Run) -> None:
    """Genberegn og byg, og fejl (exit 1) hvis et citeret tal afviger fra figurer.lock.json."""
    from hæfte import api, checker

    result = api.check(run.project)
    if not (result.ok and run.quiet):
        click.echo(checker.format_report(result))
    if not result.ok:
        sys.exit(EXIT_CHECK_FAILED)


@cli.command()
@pass_run
def lock(run: Run) -> None:
    """Lås de nuværende tal og skriv en ændringsrapport til redaktørerne."""
    from hæfte import checker

    project = run.project
    path, report_path, report = checker.make_lock(project)
    run.say(report.rstrip())
    run.say(f"\nLåst: {project.relative(path)}; rapport: {project.relative(report_path)}")


@cli.command()
@click.option("--skriv", "--write", "write", is_flag=True, help="skriv listen ind i templates/README.md")
@pass_run
def docs(run: Run, write: bool) -> None:
    """Vis alle navne, skabelonerne kan bruge (eller skriv dem ind i redaktørvejledningen)."""
    from hæfte import editor_doc

    _show_or_write(run, write, editor_doc, "templates/README.md")


def _show_or_write(run: Run, write: bool, maker, target: str) -> None:
    """A generated section (``maker.generated``) printed, or written into ``target`` (``maker.write``)."""
    if write:
        changed = maker.write(run.project)
        run.say(f"{target} opdateret" if changed else f"{target} er allerede opdateret")
    else:
        click.echo(maker.generated(run.project), nl=False)


@cli.group()
def register() -> None:
    """Registertrinnet: mikrodata til aggregater (kører på forskerserveren; kræver DuckDB)."""
    import importlib.util

    if importlib.util.find_spec("duckdb") is None:
        from hæfte.errors import ProjectError

        raise ProjectError("registertrinnet kræver DuckDB: installér hæfte med pip install 'haefte[register]'")


@register.command("aggregate")
@click.option("--personer", "persons", required=True, type=click.Path(path_type=Path), help="personår (Parquet eller CSV)")
@click.option("--flytninger", "moves", required=True, type=click.Path(path_type=Path), help="flytninger (Parquet eller CSV)")
@click.option("--ud", "--out", "out", default=Path("data/register"), show_default=True, type=click.Path(path_type=Path),
              help="mappen, aggregaterne skrives i")
@click.option("--mindst", "--min", "minimum", default=5, show_default=True, help="mindste antal personer i en celle")
@click.option("--hukommelse", "--memory", "memory", default="1500MB", show_default=True, help="DuckDB's hukommelsesgrænse")
@pass_run
def register_aggregate(run: Run, persons: Path, moves: Path, out: Path, minimum: int, memory: str) -> None:
    """Skriv beboere.csv og flytninger.csv fra mikrodata, med diskretion."""
    from hæfte import register as reg

    report = reg.aggregate(persons, moves, out, minimum=minimum, memory_limit=memory)
    run.say(f"{out / 'beboere.csv'}: {report.rows} rækker ({report.withheld} tilbageholdt, under {minimum} personer)")
    run.say(f"{out / 'flytninger.csv'}: {report.moves_rows} rækker ({report.moves_withheld} tilbageholdt)")


@register.command("synth")
@click.option("--personer", "--persons", "persons", required=True, type=int, help="antal personer pr. år")
@click.option("--aar", "--years", "years", default="2004-2013", show_default=True, help="årene, fx 2004-2013")
@click.option("--ud", "--out", "out", required=True, type=click.Path(path_type=Path), help="mappen, mikrodata skrives i")
@click.option("--seed", default=2017, show_default=True, help="startværdi for tilfældighederne (samme seed, samme data)")
@click.option("--format", "fmt", type=click.Choice(["parquet", "csv"]), default="parquet", show_default=True)
@pass_run
def register_synth(run: Run, persons: int, years: str, out: Path, seed: int, fmt: str) -> None:
    """Lav syntetiske mikrodata (seedet) i projektets boligafdelinger."""
    from hæfte import pipeline, register as reg

    first, _, last = years.partition("-")
    afdelinger = list(pipeline.tables(run.project).afdelinger["afdeling_id"])
    paths = reg.synth(out, persons, (int(first), int(last or first)), afdelinger, seed=seed, fmt=fmt)
    run.say("skrev " + " og ".join(str(p) for p in paths))


@cli.group()
def quarto() -> None:
    """Trinene, som `quarto render` kører før og efter (se _quarto.yml)."""


@quarto.command("pre-render")
@pass_run
def quarto_pre(run: Run) -> None:
    """Skriv den genererede Markdown, figurerne og _variables.yml."""
    from hæfte import quarto as q

    project = q.resolve_project(run.project_dir)
    path = q.pre_render(project, echo=run.progress)
    run.say(f"  skrev {project.relative(path)}")


@quarto.command("post-render")
@pass_run
def quarto_post(run: Run) -> None:
    """Læg PDF'erne og figurkataloget i Quartos outputmappe."""
    from hæfte import quarto as q

    project = q.resolve_project(run.project_dir)
    path = q.post_render(project, echo=run.progress)
    run.say(f"  skrev {project.relative(path)}")


@cli.command()
@click.option("--skriv", "--write", "write", is_flag=True, help="skriv afsnittet ind i data/README.md")
@pass_run
def contract(run: Run, write: bool) -> None:
    """Vis datakontraktens kolonner (eller skriv dem ind i data/README.md)."""
    from hæfte import contract_doc

    _show_or_write(run, write, contract_doc, "data/README.md")


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


def _never_crash_on_encoding() -> None:
    """A Windows console or a redirected stream may use a code page without '–' or '≥' (cp850,
    cp1252): print what it can and a '?' for the rest rather than fail with UnicodeEncodeError."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure") and (stream.encoding or "").lower().replace("-", "") != "utf8":
            stream.reconfigure(errors="replace")


def visible(text: str, keep: str = "") -> str:
    """``text`` with every control and invisible character escaped ('\\x1b', '\\u202e', '\\n'):
    an error message repeats what a file or folder name holds, and an escape sequence in it would
    clear the screen or print 'bygget uden fejl' over the error. Spaces stay; ``keep`` too."""
    return "".join(ch if ch.isprintable() or ch in keep or unicodedata.category(ch) == "Zs"
                   else ch.encode("unicode_escape").decode("ascii") for ch in text)


def _traceback() -> None:
    import traceback

    click.echo(visible(traceback.format_exc(), keep="\n"), err=True, nl=False)


def main(argv: list[str] | None = None) -> None:
    _GLOBAL.clear()
    _never_crash_on_encoding()
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        cli.main(args=argv, prog_name="hæfte", standalone_mode=False)
    except HaefteError as exc:
        if _GLOBAL.get("verbose"):
            _traceback()
        click.echo(f"fejl: {visible(str(exc))}", err=True)
        sys.exit(exc.exit_code)
    except OSError as exc:  # full disk, read-only folder, unreadable file, port in use: not a bug
        if _GLOBAL.get("verbose"):
            _traceback()
        click.echo(f"fejl: {visible(os_error_message(exc, args))}", err=True)
        sys.exit(2)
    except (click.exceptions.Abort, KeyboardInterrupt):
        click.echo("afbrudt", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except click.UsageError as exc:
        exc.show()
        sys.exit(EXIT_USAGE)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except Exception:
        _traceback()
        click.echo("fejl i hæfte selv (ikke i dine data): send gerne beskeden ovenfor til udviklerne", err=True)
        sys.exit(EXIT_BUG)
