"""Render the Danish text templates to Markdown with the computed figures injected.

In:  ``templates/*.md.j2`` (one per section, in file-name order) and the ``Results``.
Out: ``Rendered``: the Markdown of each section, the booklet's Markdown, and the figures
     (charts) in order of appearance with their numbers.

Templates run in Jinja's sandbox with ``StrictUndefined``: a misspelt name is an error naming
template and line. Values from data are escaped for Markdown, so a municipality called
``<script>`` is printed as text; only hæfte's own helpers (figures, cross-references) emit markup.
"""

from __future__ import annotations

import contextlib
import re
import signal
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import jinja2
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from hæfte import format as fmt
from hæfte.errors import TemplateError
from hæfte.results import Figure, Results

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~^$@])")


def md_escape(text: str) -> str:
    """Backslash-escape what Markdown (and the HTML inside it) would read as markup."""
    return _MD_SPECIAL.sub(r"\\\1", text)


CATALOGUE_PAGE = "katalog.html"


def figure_link(figure: Figure) -> str:
    """A quoted figure in Markdown: its display, linked to its entry in the figure catalogue."""
    return f"[{md_escape(figure.display)}]({CATALOGUE_PAGE}#{figure.id}){{.tal}}"


@dataclass
class Tracker:
    """What one render pass read and wrote: figures with their template lines, claims, text."""

    uses: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    claims: list[tuple[str, int, str, bool]] = field(default_factory=list)
    words: list[tuple[str, int, str, tuple[str, ...], str]] = field(default_factory=list)  # rule-chosen wording
    orderings: dict[str, list[str]] = field(default_factory=dict)  # rankings the text read
    injected: list[str] = field(default_factory=list)
    current: tuple[str, Any] | None = None  # (template name, jinja Template)

    def line(self) -> int:
        if self.current is None:
            return 0
        name, template = self.current
        frame = sys._getframe(1)
        while frame is not None:
            if frame.f_code.co_filename == template.filename:
                return template.get_corresponding_lineno(frame.f_lineno)
            frame = frame.f_back
        return 0

    def use(self, figure_id: str) -> None:
        if self.current is not None:
            self.uses.setdefault(figure_id, []).append((self.current[0], self.line()))

    def finalize(self, value: Any) -> Any:
        if isinstance(value, Markup):
            out = str(value)
        elif value is None:
            raise TemplateError("en skabelon indsætter en tom værdi (None)")
        elif isinstance(value, Figure):
            out = figure_link(value)
        else:
            out = md_escape(str(value))
        self.injected.append(str(value.display) if isinstance(value, Figure) else str(value))
        return out


class _Undefined(jinja2.StrictUndefined):
    """Undefined names fail at once, with the dotted name the editor wrote."""

    @property
    def _undefined_message(self) -> str:
        from hæfte.results import Namespace

        obj, name = self._undefined_obj, self._undefined_name
        if isinstance(obj, Namespace):
            return f"intet tal eller afsnit hedder '{obj._prefix}.{name}'"
        if obj is jinja2.utils.missing:
            return f"ukendt navn '{name}'"
        return super()._undefined_message


def _figure_value(value):
    return value.value if isinstance(value, Figure) else value


@dataclass(frozen=True)
class Section:
    name: str  # template file name
    id: str  # the id of its first heading
    title: str
    markdown: str


@dataclass(frozen=True)
class Rendered:
    sections: tuple[Section, ...]
    figures: tuple[str, ...]  # chart ids in order of appearance
    tracker: Tracker = field(default_factory=Tracker, compare=False)
    numbers: dict[str, int] = field(default_factory=dict, compare=False)  # "Figur N"; unnumbered charts absent

    @property
    def markdown(self) -> str:
        return "\n\n".join(s.markdown.strip() for s in self.sections) + "\n"


# An abbreviation that ends a sentence takes no second full stop: "… 16 pct." not "… 16 pct..".
_DOUBLE_STOP = re.compile(r"\b(pct|kr|mia|mio|p\.t)\.(\]\([^)\s]*\)\{\.tal\})?\.(?!\.)")
_FIGURE_LINK = re.compile(r"\[([^\]]*)\]\(" + re.escape("katalog.html") + r"#([^)\s]+)\)\{\.tal\}")


def tidy(markdown: str) -> str:
    return _DOUBLE_STOP.sub(r"\1.\2", markdown)


def plain(markdown: str) -> str:
    """The Markdown with figure links reduced to their text (what a reader of the PDF sees)."""
    return _FIGURE_LINK.sub(lambda m: m.group(1).replace("\\", ""), markdown)


FILTERS: dict[str, Callable] = {
    "pct": lambda v, d=0: fmt.pct(_figure_value(v), d),
    "tal": lambda v, d=0: fmt.number(_figure_value(v), d),
    "kr": lambda v: fmt.kr(_figure_value(v)),
    "liste": fmt.words,
    "eller_liste": lambda items: fmt.words(items, "eller"),
    "at": lambda text: "at " + str(text),
    "at_liste": fmt.at_clauses,
    "eller_at_liste": lambda items: fmt.at_clauses(items, "eller"),
    "brøk": fmt.fraction_phrase,
    "flertal": fmt.majority_word,
    "hyppighed": fmt.frequency_word,
    "omkring": fmt.about_pct,
    "tal_ord": lambda v, neutrum=False: fmt.count_word(_figure_value(v), neutrum),
    "ordenstal": lambda v: fmt.ordinal_word(_figure_value(v)),
    "få": lambda v: fmt.few_word(_figure_value(v)),
    "stort": fmt.capitalize,
    "årstal": lambda v: fmt.year(_figure_value(v)),
    "romertal": lambda v: fmt.roman(_figure_value(v)),
}


WORD_RULES = ("brøk", "flertal", "hyppighed", "omkring", "få")
MAX_CHARS = 2_000_000  # a booklet section is some thousand characters; more is a runaway template
TIME_LIMIT = 10.0  # seconds per template


class _Sandbox(SandboxedEnvironment):
    """Jinja's sandbox, also refusing to build huge strings with * and **."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context, operator, left, right):
        if operator == "*":
            for seq, n in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(n, int) and len(seq) * n > MAX_CHARS:
                    raise TemplateError(f"skabelonen bygger en for stor tekst (over {fmt.number(MAX_CHARS)} tegn)")
        if operator == "**" and isinstance(right, int) and right > 64:
            raise TemplateError("skabelonen regner med for store tal (potens over 64)")
        return super().call_binop(context, operator, left, right)


class _Timeout(contextlib.ContextDecorator):
    """A wall-clock limit for one template: a loop that runs on is stopped with a clear error."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.armed = False

    def _expired(self, signum, frame):
        raise TemplateError(f"skabelonen løber i ring eller arbejder for længe (over {fmt.number(self.seconds)} s)")

    def __enter__(self):
        # signals work only in the main thread; elsewhere (the preview's watcher) the limits on
        # output size and ranges still apply
        if threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"):
            self.previous = signal.signal(signal.SIGALRM, self._expired)
            signal.setitimer(signal.ITIMER_REAL, self.seconds)
            self.armed = True
        return self

    def __exit__(self, *exc):
        if self.armed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self.previous)
        return False


class Renderer:
    """One booklet's worth of templates; ``render`` can be called once per results object."""

    def __init__(self, templates_dir: Path, charts: tuple[str, ...] = (),
                 chart_block: Callable[[str, int | None, str, frozenset[str]], str] | None = None):
        """``chart_block(chart_id, number, caption, quoted)`` gives a chart's markup; ``number`` is
        None for an unnumbered chart, ``quoted`` the figures the text quotes (for the rounding note)."""
        self.templates_dir = Path(templates_dir)
        self.charts = tuple(charts)
        self.chart_block = chart_block or (
            lambda chart_id, number, caption, quoted: f"[{f'Figur {number}. ' if number else ''}{caption}]")
        self.unnumbered: set[str] = set()
        self.quoted: frozenset[str] = frozenset()
        self.env = _Sandbox(
            loader=jinja2.FileSystemLoader(str(self.templates_dir)), undefined=_Undefined,
            finalize=self._finalize, autoescape=False, keep_trailing_newline=True,
            trim_blocks=True, lstrip_blocks=True,
            # pandoc writes heading ids as {#id}: Jinja comments are {## ... ##} here instead
            comment_start_string="{##", comment_end_string="##}",
        )
        self.env.filters.update(FILTERS)
        for name in WORD_RULES:  # wording chosen by rule is recorded, so the lock can hold it
            self.env.filters[name] = self._recording(name, FILTERS[name])
        self.env.tests["indeholder"] = lambda seq, item: item in seq
        self.tracker = Tracker()

    def _finalize(self, value: Any) -> Any:
        return self.tracker.finalize(value)

    def _recording(self, name: str, rule: Callable) -> Callable:
        def apply(values, *args):
            word = rule(values, *args)
            items = values if isinstance(values, (list, tuple)) else [values]
            ids = tuple(v.id for v in items if isinstance(v, Figure))
            if self.tracker.current is not None:
                self.tracker.words.append((self.tracker.current[0], self.tracker.line(), name, ids, str(word)))
            return word
        return apply

    def template_names(self) -> list[str]:
        names = sorted(p.name for p in self.templates_dir.glob("*.md.j2"))
        if not names:
            raise TemplateError(f"{self.templates_dir}: ingen skabeloner (*.md.j2)")
        return names

    def context(self, results: Results, sections: dict[str, str], figures: list[str], numbers: dict[str, int]):
        ns = results.namespace(on_figure=self.tracker.use)
        ctx: dict[str, Any] = {name: ns[name] for name in ns}
        ctx["rangorden"] = _Orderings(results, tracker=self.tracker)
        ctx["fakta"] = dict(results.facts)
        ctx["tabeller"] = dict(results.tables)

        def figur(chart_id: str, titel: str, nummereret: bool = True) -> Markup:
            """A chart with its number, the caption the template gives, source line and data table.
            ``nummereret=False`` sets it without a number, so it does not renumber the others."""
            if chart_id not in self.charts:
                raise TemplateError(f"ukendt figur '{chart_id}' (kendte: {', '.join(self.charts)})")
            if chart_id in figures:
                raise TemplateError(f"figuren '{chart_id}' er sat ind to gange")
            figures.append(chart_id)
            if not nummereret:
                self.unnumbered.add(chart_id)
            number = numbers.get(chart_id, len([c for c in figures if c not in self.unnumbered])) if nummereret else None
            return Markup(self.chart_block(chart_id, number, titel, self.quoted))

        def figurnr(chart_id: str) -> Markup:
            if chart_id not in self.charts:
                raise TemplateError(f"ukendt figur '{chart_id}'")
            if chart_id in self.unnumbered:
                raise TemplateError(f"figuren '{chart_id}' er sat ind uden nummer")
            return Markup(f"figur {numbers.get(chart_id, 0)}")

        def se(section_id: str) -> Markup:
            """'på side N' in print, 'i afsnittet »…«' on the web: a reference computed from layout."""
            title = sections.get(section_id)
            if title is None:
                raise TemplateError(f"ukendt afsnit '{section_id}' (kendte: {', '.join(sections)})")
            return Markup(
                f'<a class="krydsref" href="#{section_id}"><span class="kun-print">på side </span>'
                f'<span class="kun-web">i afsnittet »{md_escape(title)}«</span></a>')

        def tal(figure_id: str) -> Figure:
            if figure_id not in results.figures:
                raise TemplateError(f"intet tal hedder '{figure_id}'")
            self.tracker.use(figure_id)
            return results.figures[figure_id]

        def påstå(condition: Any, text: str) -> Markup:
            """A claim the fixed prose makes, declared next to it; 'hæfte check' fails if it is false."""
            self.tracker.claims.append((self.tracker.current[0], self.tracker.line(), text, bool(condition)))
            return Markup("")

        def tal_for(keys, pattern: str) -> list[Figure]:
            """The figures for a list of keys: tal_for(['ku', 'tb'], 'kommuner.{}.nogensinde')."""
            return [tal(pattern.replace("{}", str(k))) for k in keys]

        ctx.update(figur=figur, figurnr=figurnr, se=se, tal=tal, tal_for=tal_for, påstå=påstå)
        return ctx

    def render(self, results: Results) -> Rendered:
        names = self.template_names()
        headings = {name: self._heading(name) for name in names}
        sections = {hid: title for hid, title in headings.values() if hid}
        # Pass 1 finds the order in which figures appear, so pass 2 can number them and so a
        # text may refer to a figure ("se figur 3") before the figure itself.
        order: list[str] = []
        self.tracker = Tracker()
        self.unnumbered, self.quoted = set(), frozenset()
        for name in names:
            self._render_one(name, self.context(results, sections, order, {}))
        numbers = {chart_id: i + 1 for i, chart_id in enumerate(c for c in order if c not in self.unnumbered)}
        self.quoted = frozenset(self.tracker.uses)  # what the text quotes, for the charts' rounding notes
        final_order: list[str] = []
        out = []
        self.tracker = Tracker()
        for name in names:
            md = tidy(self._render_one(name, self.context(results, sections, final_order, numbers)))
            hid, title = headings[name]
            out.append(Section(name, hid or "", title or "", md))
        self.tracker.current = None  # a compiled template does not belong in the build cache
        return Rendered(tuple(out), tuple(order), self.tracker, numbers)

    def _heading(self, name: str) -> tuple[str | None, str | None]:
        source = (self.templates_dir / name).read_text(encoding="utf-8")
        m = re.search(r"^#\s+(.+?)\s*\{#([\w-]+)[^}]*\}\s*$", source, re.M)
        return (m.group(2), m.group(1)) if m else (None, None)

    def _render_one(self, name: str, ctx: dict[str, Any]) -> str:
        try:
            template = self.env.get_template(name)
            self.tracker.current = (name, template)
            parts, size = [], 0
            with _Timeout(TIME_LIMIT):
                chunks = template.generate(ctx)
                for part in chunks:
                    size += len(part)
                    if size > MAX_CHARS:
                        frame = chunks.gi_frame
                        line = template.get_corresponding_lineno(frame.f_lineno) if frame else "?"
                        raise TemplateError(f"templates/{name}, linje {line}: skabelonen skriver for meget tekst "
                                            f"(over {fmt.number(MAX_CHARS)} tegn)")
                    parts.append(part)
            return "".join(parts)
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateError(f"templates/{name}, linje {exc.lineno}: syntaksfejl: {_danish_syntax(exc.message)}") from None
        except TemplateError as exc:
            if str(exc).startswith("templates/"):
                raise
            raise TemplateError(f"templates/{name}, linje {_template_line(exc, name)}: {exc}") from None
        except RecursionError:
            raise TemplateError(f"templates/{name}: skabelonen kalder sig selv i det uendelige") from None
        except (jinja2.UndefinedError, jinja2.exceptions.SecurityError, AttributeError, KeyError,
                TypeError, ValueError, OverflowError) as exc:
            raise TemplateError(f"templates/{name}, linje {_template_line(exc, name)}: {exc}") from None


def _danish_syntax(message: str | None) -> str:
    message = message or ""
    m = re.match(r"No filter named '([^']+)'", message)
    if m:
        return f"ukendt filter '{m.group(1)}' (se listen i templates/README.md)"
    if message.startswith("Unexpected end of template"):
        return "skabelonen slutter, før en blok er lukket (mangler {% endif %} eller {% endfor %}?)"
    m = re.match(r"unexpected '(.+)'", message)
    if m:
        return f"uventet '{m.group(1)}'"
    return message


def _template_line(exc: BaseException, name: str) -> str:
    """The template line where the error happened, from Jinja's rewritten traceback."""
    line = "?"
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename.endswith(name):
            line = str(tb.tb_lineno)
        tb = tb.tb_next
    return line


class _Orderings:
    """``rangorden.kommuner.redskaber.nogensinde`` for templates."""

    def __init__(self, results: Results, prefix: str = "", tracker: "Tracker | None" = None):
        self._results, self._prefix, self._tracker = results, prefix, tracker

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        full = f"{self._prefix}.{name}" if self._prefix else name
        if full in self._results.orderings:
            ordering = self._results.orderings[full]
            if self._tracker is not None:
                self._tracker.orderings[full] = ordering.keys
            return ordering
        if any(k.startswith(full + ".") for k in self._results.orderings):
            return _Orderings(self._results, full, self._tracker)
        raise AttributeError(f"ingen rangorden hedder '{full}'")
