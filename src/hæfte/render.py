"""Render the Danish text templates to Markdown with the computed figures injected.

In:  ``templates/*.md.j2`` (one per section, in file-name order) and the ``Results``.
Out: ``Rendered``: the Markdown of each section, the booklet's Markdown, and the figures
     (charts) in order of appearance with their numbers.

Templates run in Jinja's sandbox with ``StrictUndefined``: a misspelt name is an error naming
template and line. The rendering itself runs in a child process (``hæfte.sandbox``) with a hard
limit on time and memory, so no template can hang or exhaust the machine, whatever it does.
Templates, and what they include, import or extend, are read only from ``templates/``; raw HTML
that runs or loads something (``<script>``, ``<iframe>``, event handlers, ``style=``, ``{=html}``
blocks, ``javascript:`` links) is refused with template and line. Values from data are inert:
escaped for Markdown and HTML, so a municipality called ``<script>`` or ``[x](javascript:…)`` is
printed as text; only hæfte's own helpers (figures, cross-references) emit markup.
"""

from __future__ import annotations

import html
import re
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser
from numbers import Number
from pathlib import Path
from typing import Any, Callable

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from hæfte import figurelink, sandbox
from hæfte import format as fmt
from hæfte.errors import ProjectError, TemplateError
from hæfte.resultset import Figure, Results
from hæfte.sandbox import Limits

# Markdown reads these as markup anywhere in a line (pandoc lets any of them be escaped);
# "&" starts an HTML entity, which would show "&amp;" in data as "&".
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~^$@&])")
# Line breaks (and tabs) in a value would let it start a block of its own: a heading, a list, a
# fenced div. The no-break space stays: it is part of "78 pct.".
_BREAKS = re.compile(r"[\t\n\v\f\r\x1c-\x1f\x85\u2028\u2029]+")
# pandoc's typography would turn "--" in data into a dash (and "<!--" is a comment opener)
_DASHES = re.compile(r"-(?=-)|(?<=-)-")
# What makes a line a block when it starts one: "- x", "+ x", ": x", "===", "::: x", "% x", "(a) x",
# "1. x", "a) x", "iv. x"; the group that matched holds the character to escape.
_LINE_START = re.compile(r"^\s*(?:([-+:=])(?=[-+:=\s]|$)|(%)|(\()(?=\w{1,6}\)(?:\s|$))"
                         r"|(?:\d+|[A-Za-z]|[ivxlcdm]+|[IVXLCDM]+)([.)])(?=\s|$))")


def md_escape(text: str) -> str:
    """A value from data as inert Markdown: shown exactly as written, never markup.

    Backslash-escapes what Markdown (and the HTML inside it) would read as markup, folds line
    breaks into spaces, and escapes a list, heading or div marker at the start, since a template
    may put the value at the start of a line."""
    text = _MD_SPECIAL.sub(r"\\\1", _BREAKS.sub(" ", text))
    text = _DASHES.sub(r"\\-", text)
    m = _LINE_START.match(text)
    if m:
        group = next(i for i in range(1, 5) if m.group(i) is not None)
        text = text[:m.start(group)] + "\\" + text[m.start(group):]
    return text


def figure_link(figure: Figure) -> str:
    """A quoted figure in Markdown: its display, linked to its entry in the figure catalogue."""
    return figurelink.markdown(md_escape(figure.display), figure.id)


class Html(str):
    """Markup made by hæfte's own helpers (figur, se, påstå): the only text a template emits
    unescaped. Jinja's own Markup (from ``|safe``, ``|tojson`` …) is escaped like any value."""


def raw_html_block(markup: str) -> str:
    """HTML for pandoc to pass through untouched: inside a plain HTML block pandoc would read
    ``[x](javascript:…)`` in a table cell as a Markdown link."""
    return f"\n```{{=html}}\n{markup.strip()}\n```\n"


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
        """The text a ``{{ … }}`` puts in. Only figures, numbers formatted from figures and hæfte's
        own markup count as a source of the numbers they show (``injected``, which 'hæfte check'
        holds the outputs against); text from the data's facts is known to the check by itself.
        A number the template computed (``a.numerator + b.value``) has no source: refused."""
        if isinstance(value, Html):
            out = str(value)
        elif value is None:
            raise TemplateError("en skabelon indsætter en tom værdi (None)")
        elif isinstance(value, Figure):
            out = figure_link(value)
        elif isinstance(value, Number) and not isinstance(value, bool):
            raise TemplateError(f"en skabelon indsætter et tal, den selv har regnet ud ({value}), og som intet "
                                "navngivet tal er kilde til: indsæt tallet med dets navn, fx {{ kommuner.antal }}")
        else:
            out = md_escape(str(value))
        if isinstance(value, (Figure, Html, Formatted)):
            self.injected.append(str(value.display) if isinstance(value, Figure) else str(value))
        return out


class _Undefined(jinja2.StrictUndefined):
    """Undefined names fail at once, with the dotted name the editor wrote."""

    @property
    def _undefined_message(self) -> str:
        from hæfte.resultset import Namespace

        obj, name = self._undefined_obj, self._undefined_name
        if isinstance(obj, Namespace):
            return f"intet tal eller afsnit hedder '{obj._prefix}.{name}'"
        if obj is jinja2.utils.missing:
            return f"ukendt navn '{name}'"
        return super()._undefined_message


def _figure_value(value):
    return value.value if isinstance(value, Figure) else value


class Formatted(str):
    """A figure formatted by a filter (``| pct``, ``| tal`` …): its numbers have the figure as
    source. The same filter on a number the template computed gives a plain string."""


def _formatting(format_value: Callable, reads_figure: bool = False) -> Callable:
    """The filter ``format_value``, its text marked Formatted when given a figure (``reads_figure``:
    it is given the figure itself, not its value)."""
    def apply(value, *args, **kwargs):
        out = format_value(value if reads_figure else _figure_value(value), *args, **kwargs)
        figures = value if reads_figure and isinstance(value, (list, tuple)) and value else [value]
        return Formatted(out) if all(isinstance(v, Figure) for v in figures) else out
    return apply


def _keeping_source(text, changed: str) -> str:
    """Text changed by a word filter (| stort) has the source its input had."""
    return Formatted(changed) if isinstance(text, (Formatted, Figure)) else changed


SHARES = ("andel", "procentpoint")  # the kinds 'gange=100' writes in percent or percentage points


def _number(value, decimals=0, gange=1):
    """``| tal``; ``gange=100`` writes a share of a figure in percent or percentage points, the one
    unit change a template may make (a count times 100 would be a number the data do not hold)."""
    if gange != 1 and not (gange == 100 and isinstance(value, Figure) and value.kind in SHARES):
        raise TemplateError(f"| tal(gange={gange}) kan kun skrive en andel i procent eller procentpoint "
                            "(gange=100 på et tal af typen andel eller procentpoint)")
    return fmt.number(_figure_value(value) * gange, decimals)


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


def tidy(markdown: str) -> str:
    return _DOUBLE_STOP.sub(r"\1.\2", markdown)


def plain(markdown: str) -> str:
    """The Markdown with figure links reduced to their text (what a reader of the PDF sees)."""
    return figurelink.MARKDOWN.sub(lambda m: m.group(1).replace("\\", ""), markdown)


FILTERS: dict[str, Callable] = {
    "pct": _formatting(fmt.pct),
    "tal": _formatting(_number, reads_figure=True),
    "kr": _formatting(fmt.kr),
    "liste": fmt.words,
    "eller_liste": lambda items: fmt.words(items, "eller"),
    "at": lambda text: _keeping_source(text, "at " + str(text)),
    "at_liste": lambda items, infinitiv=False: fmt.at_clauses(items, "og", infinitiv),
    "eller_at_liste": lambda items, infinitiv=False: fmt.at_clauses(items, "eller", infinitiv),
    "brøk": _formatting(fmt.fraction_phrase, reads_figure=True),
    "flertal": fmt.majority_word,
    "hyppighed": fmt.frequency_word,
    "omkring": _formatting(fmt.about_pct, reads_figure=True),
    "tal_ord": lambda v, neutrum=False: fmt.count_word(_figure_value(v), neutrum),
    "ordenstal": lambda v: fmt.ordinal_word(_figure_value(v)),
    "få": lambda v: fmt.few_word(_figure_value(v)),
    "stort": lambda text: _keeping_source(text, fmt.capitalize(text)),
    "årstal": _formatting(fmt.year),
    "romertal": lambda v: fmt.roman(_figure_value(v)),
}


WORD_RULES = ("brøk", "flertal", "hyppighed", "omkring", "få")
MAX_CHARS = 2_000_000  # a booklet section is some thousand characters; more is a runaway template
LIMITS = Limits()  # per template: 10 s wall-clock, 1 GiB more memory (tests inject small ones)


class _Sandbox(SandboxedEnvironment):
    """Jinja's sandbox, also refusing to build huge strings with * and ** (a quick, clear error;
    the hard limits on time and memory hold for every other way)."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context, operator, left, right):
        if operator == "*":
            for seq, n in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(n, int) and len(seq) * n > MAX_CHARS:
                    raise TemplateError(f"skabelonen bygger en for stor tekst (over {fmt.number(MAX_CHARS)} tegn)")
        if operator == "**" and isinstance(right, int) and right > 64:
            raise TemplateError("skabelonen regner med for store tal (potens over 64)")
        return super().call_binop(context, operator, left, right)


# ---------------------------------------------------------------- what a template may contain
# a Jinja expression, statement or comment ({## ##}, as pandoc keeps {# for heading ids); the
# typed-digit lint in checker.py reads the prose around them with the same pattern
JINJA_TAGS = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{##.*?##\}", re.S)
# elements that run, load, embed or restyle something: hæfte's helpers make all markup a booklet needs
_FORBIDDEN_TAGS = frozenset({"script", "iframe", "frame", "frameset", "object", "embed", "applet", "style",
                             "link", "meta", "base", "form", "svg", "math", "template", "noscript"})
_URL_ATTRS = frozenset({"href", "src", "srcset", "poster", "action", "formaction", "data", "background",
                        "xlink:href", "ping", "cite", "longdesc", "lowsrc"})
_BAD_SCHEME = re.compile(r"(?:java|vb)script:|data:", re.I)
_RAW_FORMAT = re.compile(r"\{\s*=\s*[\w-]+\s*\}")  # pandoc's ```{=html} and `…`{=html}
_SCRIPT_URL = re.compile(r"(?:java|vb)script\s*:", re.I)
_PANDOC_ATTRS = re.compile(r"\{[^{}\n]*?(?<![\w-])(on[a-z]+|style)\s*=[^{}\n]*\}", re.I)


def _scheme_of(url: str) -> str:
    """A URL as a browser reads it: without the tabs, line breaks and spaces it ignores."""
    return re.sub(r"[\x00-\x20]+", "", url)


class _RawHtml(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[tuple[int, str]] = []

    def handle_starttag(self, tag, attrs):
        line = self.getpos()[0]
        if tag in _FORBIDDEN_TAGS:
            self.problems.append((line, f"rå HTML-elementet <{tag}> er ikke tilladt i en skabelon "
                                        "(figurer og henvisninger sættes ind med figur() og se())"))
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append((line, f"hændelsesattributten '{name}' er ikke tilladt i en skabelon"))
            elif name == "style":
                self.problems.append((line, "style-attributten er ikke tilladt i en skabelon "
                                            "(brug en klasse og styles/)"))
            elif name in _URL_ATTRS and value and _BAD_SCHEME.match(_scheme_of(value)):
                self.problems.append((line, f"adressen '{value}' er ikke tilladt i en skabelon "
                                            "(ingen javascript:-, vbscript:- eller data:-adresser)"))


def check_template_source(source: str, name: str) -> None:
    """Refuse raw HTML that runs or loads something, and raw-format blocks, naming template and line.

    Only the template's own text is read (Jinja expressions are blanked out): values from data
    are escaped when inserted, and hæfte's helpers emit their markup at render time."""
    text = JINJA_TAGS.sub(lambda m: "x" + "\n" * m.group(0).count("\n"), source)
    problems = []
    for pattern, problem in ((_RAW_FORMAT, "rå HTML-blokke ({=html}) er ikke tilladt i en skabelon"),
                             (_SCRIPT_URL, "javascript:- og vbscript:-adresser er ikke tilladt i en skabelon"),
                             (_PANDOC_ATTRS, "hændelses- og style-attributter er ikke tilladt i en skabelon")):
        for m in pattern.finditer(text):
            problems.append((text.count("\n", 0, m.start()) + 1, problem))
    parser = _RawHtml()
    parser.feed(text)
    parser.close()
    problems += parser.problems
    if problems:
        line, problem = min(problems)
        raise TemplateError(f"templates/{name}, linje {line}: {problem}")


class _TemplatesLoader(jinja2.FileSystemLoader):
    """Templates, and everything they include, import or extend, come from ``templates/`` only:
    a symlink (or a symlinked folder) that leads out is refused, and each source is checked
    for raw HTML before it is compiled."""

    def __init__(self, folder: Path, project_root: Path):
        super().__init__(str(folder))
        self.folder = Path(folder)
        self.project_root = Path(project_root).resolve()

    def checked(self, name: str) -> Path:
        """The template's file, resolved; an error (without template prefix) if it leads out.
        The rule of ``Project.inside``, narrowed to templates/ and phrased for an include, so the
        including template and line can be put in front."""
        if not name.endswith(".j2"):
            # only .j2 files are what the build's cache and the check of typed digits read
            raise TemplateError(f"'{name}' er ikke en skabelon: kun filer i templates/, hvis navn ender på .j2, "
                                "kan hentes")
        resolved = (self.folder / name).resolve()
        if not resolved.is_relative_to(self.project_root):
            raise ProjectError(f"skabelonen '{name}' fører uden for projektmappen (til {resolved}); "
                               "hæfte læser kun filer inde i projektet")
        if not resolved.is_relative_to(self.folder.resolve()):
            raise TemplateError(f"skabelonen '{name}' fører uden for templates/ (til {resolved}); "
                                "skabeloner kan kun hente andre skabeloner i templates/")
        if resolved.exists() and not resolved.is_file() and not resolved.is_dir():  # reading a pipe waits for a writer
            raise TemplateError(f"skabelonen '{name}' er et navngivet rør eller en enhed, ikke en fil")
        return resolved

    def get_source(self, environment, template):
        try:
            source, filename, uptodate = super().get_source(environment, template)
        except jinja2.TemplateNotFound:
            raise TemplateError(f"skabelonen '{template}' findes ikke i templates/") from None
        self.checked(template)
        check_template_source(source, template)
        return source, filename, uptodate


def _placeholder_block(chart_id: str, number: int | None, caption: str, quoted: frozenset[str] = frozenset()) -> str:
    return f"[{f'Figur {number}. ' if number else ''}{caption}]"


class _CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates kept in memory for the life of the process, keyed by file name and
    checked against the source: a rebuild (``hæfte preview``) compiles only what was edited."""

    def __init__(self):
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])  # ignored if the source changed

    def dump_bytecode(self, bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


COMPILED = _CompiledTemplates()


class Renderer:
    """One booklet's worth of templates; ``render`` can be called once per results object.

    ``chart_block`` must be picklable (a module-level function or a ``functools.partial`` of
    one): rendering runs in the sandbox process."""

    def __init__(self, templates_dir: Path, charts: tuple[str, ...] = (),
                 chart_block: Callable[..., str] | None = None, limits: Limits | None = None,
                 project_root: Path | None = None):
        """``chart_block(chart_id, number, caption, quoted=…)`` gives a chart's markup; ``number`` is
        None for an unnumbered chart, ``quoted`` the figures the text quotes (for the rounding note)."""
        self.templates_dir = Path(templates_dir)
        self.project_root = Path(project_root) if project_root is not None else self.templates_dir.parent
        self.charts = tuple(charts)
        self.chart_block = chart_block or _placeholder_block
        self.limits = limits or LIMITS
        self.loader = _TemplatesLoader(self.templates_dir, self.project_root)
        self.unnumbered: set[str] = set()
        self.quoted: frozenset[str] = frozenset()
        self.env = _Sandbox(
            loader=self.loader, undefined=_Undefined,
            finalize=self._finalize, autoescape=False, keep_trailing_newline=True,
            trim_blocks=True, lstrip_blocks=True,
            # pandoc writes heading ids as {#id}: Jinja comments are {## ... ##} here instead
            comment_start_string="{##", comment_end_string="##}", bytecode_cache=COMPILED,
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
        from hæfte.project import Project

        Project(self.loader.project_root).inside(self.templates_dir, "skabelonmappen")
        names = sorted(p.name for p in self.templates_dir.glob("*.md.j2"))
        if not names:
            raise TemplateError(f"{self.templates_dir}: ingen skabeloner (*.md.j2)")
        for name in names:
            try:
                self.loader.checked(name)
            except (TemplateError, ProjectError) as exc:
                raise type(exc)(f"templates/{name}: {exc}") from None
        return names

    def context(self, results: Results, sections: dict[str, str], figures: list[str], numbers: dict[str, int]):
        ns = results.namespace(on_figure=self.tracker.use)
        ctx: dict[str, Any] = {name: ns[name] for name in ns}
        ctx["rangorden"] = _Orderings(results, tracker=self.tracker)
        ctx["fakta"] = dict(results.facts)
        ctx["tabeller"] = dict(results.tables)

        def figur(chart_id: str, titel: str, nummereret: bool = True) -> Html:
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
            return Html(raw_html_block(self.chart_block(chart_id, number, str(titel), quoted=self.quoted)))

        def figurnr(chart_id: str) -> Html:
            if chart_id not in self.charts:
                raise TemplateError(f"ukendt figur '{chart_id}'")
            if chart_id in self.unnumbered:
                raise TemplateError(f"figuren '{chart_id}' er sat ind uden nummer")
            return Html(f"figur {numbers.get(chart_id, 0)}")

        def se(section_id: str) -> Html:
            """'på side N' in print, 'i afsnittet »…«' on the web: a reference computed from layout."""
            title = sections.get(section_id)
            if title is None:
                raise TemplateError(f"ukendt afsnit '{section_id}' (kendte: {', '.join(sections)})")
            return Html(
                f'<a class="krydsref" href="#{html.escape(section_id)}"><span class="kun-print">på side </span>'
                f'<span class="kun-web">i afsnittet »{md_escape(title)}«</span></a>')

        def tal(figure_id: str) -> Figure:
            if figure_id not in results.figures:
                raise TemplateError(f"intet tal hedder '{figure_id}'")
            self.tracker.use(figure_id)
            return results.figures[figure_id]

        def påstå(condition: Any, text: str) -> Html:
            """A claim the fixed prose makes, declared next to it; 'hæfte check' fails if it is false."""
            self.tracker.claims.append((self.tracker.current[0], self.tracker.line(), text, bool(condition)))
            return Html("")

        def tal_for(keys, pattern: str) -> list[Figure]:
            """The figures for a list of keys: tal_for(['ku', 'tb'], 'kommuner.{}.nogensinde')."""
            return [tal(pattern.replace("{}", str(k))) for k in keys]

        ctx.update(figur=figur, figurnr=figurnr, se=se, tal=tal, tal_for=tal_for, påstå=påstå)
        return ctx

    def render(self, results: Results) -> Rendered:
        """Render every template, in the sandbox process under the hard limits."""
        if sandbox.in_child():
            return self._render(results)
        job = (self.templates_dir, self.charts, self.chart_block, self.limits, self.project_root)
        try:
            return sandbox.run(_render_in_child, (job, results), self.limits)
        except sandbox.Exceeded as exc:
            if exc.step is None and exc.kind == "tid":
                raise TemplateError(f"templates/: processen, der gengiver skabelonerne, svarede ikke inden for "
                                    f"{fmt.number(sandbox.STARTUP)} s") from None
            where = f"templates/{exc.step}" if exc.step else "templates/"
            if exc.kind == "hukommelse":
                raise TemplateError(f"{where}: {_memory_problem(self.limits)}") from None
            if exc.kind == "tid":
                raise TemplateError(f"{where}: {_time_problem(self.limits)}") from None
            raise TemplateError(f"{where}: skabelonen fik sandkasseprocessen til at gå ned") from None

    def _render(self, results: Results) -> Rendered:
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
        sandbox.step(None, None)
        self.tracker.current = None  # a compiled template does not belong in the build cache
        return Rendered(tuple(out), tuple(order), self.tracker, numbers)

    def _heading(self, name: str) -> tuple[str | None, str | None]:
        source = self.loader.checked(name).read_text(encoding="utf-8")
        m = re.search(r"^#\s+(.+?)\s*\{#([\w-]+)[^}]*\}\s*$", source, re.M)
        return (m.group(2), m.group(1)) if m else (None, None)

    def _render_one(self, name: str, ctx: dict[str, Any]) -> str:
        sandbox.step(name, self.limits.seconds)
        template = None
        try:
            template = self.env.get_template(name)
            self.tracker.current = (name, template)
            parts, size = [], 0
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
            where = exc.name or name
            raise TemplateError(f"templates/{where}, linje {exc.lineno}: syntaksfejl: {_danish_syntax(exc.message)}") from None
        except sandbox.Expired as exc:
            raise TemplateError(f"templates/{name}, linje {_template_line(exc, name, template)}: "
                                f"{_time_problem(self.limits)}") from None
        except (MemoryError, sandbox.OutOfMemory) as exc:
            sandbox.recycle()
            raise TemplateError(f"templates/{name}, linje {_template_line(exc, name, template)}: "
                                f"{_memory_problem(self.limits)}") from None
        except (TemplateError, ProjectError) as exc:
            if str(exc).startswith("templates/"):
                raise
            raise type(exc)(f"templates/{name}, linje {_template_line(exc, name)}: {exc}") from None
        except RecursionError:
            raise TemplateError(f"templates/{name}: skabelonen kalder sig selv i det uendelige "
                                "eller er for dybt indlejret") from None
        except SyntaxError:  # Python refuses the compiled template: blocks nested too deep
            raise TemplateError(f"templates/{name}: skabelonen har for mange blokke inden i hinanden") from None
        except OverflowError as exc:
            if str(exc).startswith("Range too big"):
                raise TemplateError(f"templates/{name}, linje {_template_line(exc, name)}: skabelonen laver en "
                                    f"for lang række (range over {fmt.number(jinja2.sandbox.MAX_RANGE)})") from None
            raise TemplateError(f"templates/{name}, linje {_template_line(exc, name)}: {exc}") from None
        except (jinja2.UndefinedError, jinja2.exceptions.SecurityError, AttributeError, KeyError,
                TypeError, ValueError) as exc:
            raise TemplateError(f"templates/{name}, linje {_template_line(exc, name)}: {exc}") from None


def _time_problem(limits: Limits) -> str:
    return f"skabelonen løber i ring eller arbejder for længe (over {fmt.number(limits.seconds)} s)"


def _memory_problem(limits: Limits) -> str:
    return f"skabelonen bruger for meget hukommelse (over {fmt.number(limits.memory // 2**20)} MB)"


def _render_in_child(job: tuple, results: Results) -> Rendered:
    templates_dir, charts, chart_block, limits, project_root = job
    renderer = Renderer(templates_dir, charts, chart_block, limits, project_root)
    return renderer._render(results)


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


def _template_line(exc: BaseException, name: str, template: Any = None) -> str:
    """The template line where the error happened. Jinja rewrites the traceback of an ordinary
    exception to template lines; for the sandbox's stop signals (``BaseException``s it does not
    touch) the compiled code's line is mapped back through the template."""
    line = "?"
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename.endswith(name):
            if "__jinja_exception__" in tb.tb_frame.f_globals or template is None:
                line = str(tb.tb_lineno)
            else:
                line = str(template.get_corresponding_lineno(tb.tb_lineno))
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
