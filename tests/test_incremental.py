"""Incremental builds: content hashes decide what is rebuilt; the cache they use is exact JSON."""

from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction

from hæfte.builder import build
from hæfte.project import Project



def step_names(report):
    return [name for name, _ in report.steps]


def test_nothing_changed_does_nothing(full_copy):
    project = Project.find(full_copy)
    build(project)
    pdf = (full_copy / "_output/haefte.pdf").stat().st_mtime_ns
    again = build(project)
    assert again.nothing_to_do and again.steps == []
    assert (full_copy / "_output/haefte.pdf").stat().st_mtime_ns == pdf


def test_touching_a_file_without_changing_it_does_nothing(full_copy):
    project = Project.find(full_copy)
    build(project)
    path = full_copy / "data/survey/kommuner.csv"
    path.write_bytes(path.read_bytes())  # new modification time, same content
    assert build(project).nothing_to_do


def test_a_template_edit_renders_the_text_again_and_nothing_its_text_does_not_change(full_copy):
    project = Project.find(full_copy)
    build(project)
    path = full_copy / "templates/11_konklusion.md.j2"
    # an editor's note: the template changes, the text it renders does not (a changed text is
    # laid out again: tests/test_faults.py, the killed build, and tests/test_check.py)
    text = path.read_text(encoding="utf-8")
    assert "resultater peger på" in text
    path.write_text(text.replace("resultater peger på", "resultater peger {## læst ##}på"), encoding="utf-8")
    names = step_names(build(project))
    assert names == ["data og statistik (uændret)", "tekstskabeloner (16 afsnit)", "figurer (0 af 3 tegnet)",
                     "webversion (uændret)", "PDF (uændret)", "figurkatalog-PDF (uændret)"]


# A data change redoes the statistics, the charts whose data moved and the outputs: tests/test_new_data.py


def _types(value):
    """The value's structure with the type of every leaf, to compare types as well as values."""
    from dataclasses import fields, is_dataclass
    from types import MappingProxyType

    if is_dataclass(value):
        return (type(value).__name__, {f.name: _types(getattr(value, f.name)) for f in fields(value)})
    if isinstance(value, (dict, MappingProxyType)):
        return {k: _types(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, [_types(v) for v in value])
    return type(value).__name__


def test_results_survive_a_json_round_trip_exactly(results):
    import json

    from hæfte.resultset import Results

    again = Results.from_json(json.loads(json.dumps(results.to_json(), ensure_ascii=False)))
    assert again == results and _types(again) == _types(results)
    ka = again["kommuner.ka.perioden"]
    assert (ka.value, ka.display, ka.numerator, ka.base) == (Fraction(36, 46), "78\u00a0pct.", 36, 46)


def test_values_json_lacks_keep_their_type_through_the_cache_codec():
    import json

    from hæfte import codec
    from hæfte.resultset import Figure, Ordering, Results, Table

    figure = Figure("a.b", Fraction(1, 3), "andel", "en tredjedel", "data/x.csv", numerator=1, base=3, ci=(0.1, 0.5))
    value = Results(
        figures={"a.b": figure, "p": Figure("p", (2004, 2013), "periode", "perioden", "data/x.csv")},
        tables={"t": Table("t", "Tabel", ("år", "andel"), ((2009, figure), (2010, None)), "data/x.csv")},
        orderings={"o": Ordering("o", "rang", (("x", "X", Fraction(2, 3)), ("y", "Y", Decimal("0.5"))))},
        facts={"udgivelsesdato": date(2017, 3, 1), "tid": datetime(2017, 3, 1, 12, 30), "ikke_tal": float("nan"),
               "rå": b"\x00\xff", "nøgler": {1: "en", (2, 3): "to-tre"}, "$": "dollar", "liste": [1, 2.5, "x"]})
    again = codec.decode(json.loads(json.dumps(codec.encode(value))))
    assert again.facts["ikke_tal"] != again.facts["ikke_tal"]  # NaN stays NaN
    assert _types(again) == _types(value)
    assert {k: v for k, v in again.facts.items() if k != "ikke_tal"} == \
        {k: v for k, v in value.facts.items() if k != "ikke_tal"}
    assert (again.figures, again.tables, again.orderings) == (value.figures, value.tables, value.orderings)


def test_the_cache_codec_builds_only_the_types_it_knows():
    import pytest

    from hæfte import codec

    for data in ({"$": "os.system", "v": {"command": "rm -rf /"}}, {"$": "Figure", "v": {"id": "x", "__class__": 1}},
                 {"$": "tuple", "v": [1], "x": 2}, {"$": "float", "v": "1.5"}):
        with pytest.raises(ValueError):
            codec.decode(data)


def test_cache_keys_hold_tool_versions_and_options(project, monkeypatch):
    from hæfte import cache

    before = cache.Keys.of(project)
    versions = {**cache.tool_versions(), "weasyprint": "0.0-anden"}
    monkeypatch.setattr(cache, "tool_versions", lambda: versions)
    after = cache.Keys.of(project)
    assert after.tools != before.tools and after.results != before.results and after.rendered != before.rendered
    assert (after.data, after.templates, after.styles, after.code) == (before.data, before.templates, before.styles,
                                                                       before.code)
    assert cache.tool_versions()["pandoc"].startswith("pandoc 3.")
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert cache.Options().key() == '{"bleed": false, "dato": null, "release": false}' != cache.Options(bleed=True).key()
    assert cache.Options(release=True).key() != cache.Options().key()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # the PDFs' date: another date, other outputs
    assert cache.Options().key() == '{"bleed": false, "dato": "2023-11-14T22:13:20Z", "release": false}'
    # each output's key holds the options that change it: bleed only the booklet's PDF, the date
    # every PDF, a release build everything
    assert cache.Options(bleed=True).key("pdf") == '{"bleed": true, "dato": "2023-11-14T22:13:20Z", "release": false}'
    assert cache.Options(bleed=True).key("katalog") == '{"dato": "2023-11-14T22:13:20Z", "release": false}'
    assert cache.Options(bleed=True).key("web") == '{"release": false}' != cache.Options(release=True).key("web")


def test_each_output_is_keyed_by_the_style_files_it_reads(copy_project):
    from hæfte.cache import Keys
    from hæfte.project import Project

    def parts() -> dict[str, str]:
        return dict(Keys.of(Project.find(copy_project)).style_parts)

    def changed(edit) -> list[str]:
        before = parts()
        edit()
        return sorted(output for output, key in parts().items() if key != before[output])

    def append(name: str, text: str):
        return lambda: (copy_project / "styles" / name).write_text(
            (copy_project / "styles" / name).read_text(encoding="utf-8") + text, encoding="utf-8")

    assert changed(append("web.css", "\np { color: #111; }\n")) == ["web"]
    assert changed(append("print.css", "\np { color: #111; }\n")) == ["pdf"]
    assert changed(append("katalog-print.css", "\np { color: #111; }\n")) == ["katalog"]
    assert changed(append("orddeling.txt", "\n")) == ["pdf"]
    assert changed(append("print.html", "\n")) == ["katalog", "pdf"]
    assert changed(append("fonts.css", "\n")) == ["katalog", "pdf", "web"]
    font = next((copy_project / "styles/fonts").glob("*.woff2"))
    assert changed(lambda: font.write_bytes(font.read_bytes() + b"\0")) == ["figur", "katalog", "pdf", "web"]
    # a file no output is known to read (a logo an editor adds) counts for every output
    assert changed(lambda: (copy_project / "styles/logo.svg").write_text("<svg/>", encoding="utf-8")) == [
        "figur", "katalog", "pdf", "web"]


def test_cache_keys_do_not_depend_on_where_the_project_lies(copy_project, tmp_path):
    import shutil

    from hæfte.cache import Keys
    from hæfte.project import Project

    moved = tmp_path / "et andet sted med æøå"
    shutil.copytree(copy_project, moved)
    assert Keys.of(Project.find(moved)) == Keys.of(Project.find(copy_project))


def test_the_rendered_text_and_what_it_read_survive_the_cache(project, results, copy_project):
    from hæfte.builder import render_markdown
    from hæfte.cache import Cache

    rendered = render_markdown(project, results)
    cache = Cache(Project.find(copy_project))
    cache.store("rendered", "k", rendered)
    again = cache.load("rendered", "k")
    assert again == rendered and again.markdown == rendered.markdown
    assert again.tracker.uses == rendered.tracker.uses and again.tracker.claims == rendered.tracker.claims
    assert again.tracker.words == rendered.tracker.words and again.tracker.injected == rendered.tracker.injected
    assert again.tracker.uses["kommuner.ka.perioden"] == [("02_resultater.md.j2", 16)]
    assert cache.load("rendered", "en anden nøgle") is None
