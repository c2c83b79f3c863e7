"""Templates: Danish text with injected figures, strict about names, safe with data values."""

import shutil
from pathlib import Path

import pytest

from hæfte import pipeline
from hæfte.builder import render_markdown
from hæfte.checker import typed_digits
from hæfte.errors import TemplateError
from hæfte.project import Project
from hæfte.render import Renderer, md_escape, plain

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def rendered(project, results):
    return render_markdown(project, results)


def test_no_figure_is_typed_into_a_template():
    """Digits outside Jinja expressions would be numbers typed into prose (the lint of ``hæfte check``)."""
    assert typed_digits(ROOT / "templates") == []


def test_every_section_in_the_booklets_order(rendered):
    ids = [s.id for s in rendered.sections]
    assert ids == ["forside", "fortegnelse", "om", "resultater", "erfaringer", "", "", "", "", "brug", "socialt-mix",
                   "holdninger", "konklusion", "om-analysen", "bilag", "bagside"]  # the four case boxes belong to "erfaringer"


def test_published_figures_stand_in_their_sentences(rendered):
    md = plain(rendered.markdown).replace("\n", " ")
    for sentence in [
        "har 78\u00a0pct. brugt kommunal anvisning i årene 2006–2010. For fleksibel udlejning er andelen 49\u00a0pct. og "
        "for offentlig annoncering 18\u00a0pct.",
        "er andelene henholdsvis 87\u00a0pct., 60\u00a0pct. og 24\u00a0pct.",
        "over hele landet, i alt 2,2\u00a0mia.\u00a0kr.",
        "Offentlig annoncering bruges eller har været brugt i knap hver fjerde kommune.",
        "Hvert af dem er angivet af omkring 4 ud af 5 kommuner.",
        "De nævnes hver især af knap 2 ud af 5 kommuner.",
        "Omkring 40\u00a0pct. af alle flytninger i perioden gik fra én almen boligafdeling til en anden.",
        "vurderer næsten alle kommunerne og boligorganisationerne, at fleksibel udlejning i høj eller i nogen grad er "
        "et vigtigt redskab. Blandt kommunerne er andelen 90\u00a0pct., blandt boligorganisationerne 94\u00a0pct.",
        "Ifølge størstedelen af kommunerne og boligorganisationerne har deres samlede brug af redskaberne i høj eller "
        "i nogen grad medvirket til en mere balanceret beboersammensætning. Det gælder 56\u00a0pct. af kommunerne og "
        "52\u00a0pct. af boligorganisationerne",
        "Den hyppigste kombination i perioden var kommunal anvisning og fleksibel udlejning, som 44\u00a0pct. af "
        "helhedsplanerne brugte. Dernæst fulgte kommunal anvisning og offentlig annoncering (5\u00a0pct.)",
        "Fire af dem – Albertslund, Ballerup, Hvidovre og Ishøj – svarer,",
        "Ishøj har 100\u00a0pct. kommunal anvisning",
        "Fra starten af 2015 har kommunen",
        "Undtagelsen er beboermaksimum, som bruges ofte.",
        "Et par af boligorganisationerne finder det også for besværligt administrativt.",
        "Oplysningerne dækker årene 2004–2013.",
    ]:
        assert sentence in md, sentence


def test_a_sentence_ending_in_an_abbreviation_gets_one_full_stop(rendered):
    assert "pct.." not in plain(rendered.markdown)
    assert "82\u00a0pct., 62\u00a0pct. og 16\u00a0pct.\n" in plain(rendered.markdown)


def test_quoted_figures_link_to_the_catalogue_and_are_tracked(rendered):
    assert "[78\u00a0pct.](katalog.html#kommuner.ka.perioden){.tal}" in rendered.markdown
    uses = rendered.tracker.uses
    assert ("02_resultater.md.j2", 16) in uses["kommuner.ka.perioden"]
    assert "register.sammenligning" in uses


def test_figures_are_numbered_in_order_of_appearance(rendered):
    # the seed's numbers: Figur 1 is the use of the tools, Figur 2 the attitudes; the social-mix
    # chart stands without a number, so it does not renumber them
    assert rendered.figures == ("figur1", "socialmix", "figur2")
    assert rendered.numbers == {"figur1": 1, "figur2": 2}
    assert "(se også figur 2)." in " ".join(rendered.markdown.split())
    assert '<span class="figurnr">Figur 2.</span> Kommuner og boligorganisationer fordelt' in rendered.markdown


def test_cross_references_point_at_sections(rendered):
    assert rendered.markdown.count('<a class="krydsref" href="#brug">') == 1
    assert '<span class="kun-web">i afsnittet »Holdninger til udlejningsredskaber«</span>' in rendered.markdown


@pytest.fixture()
def templates(tmp_path):
    target = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", target)
    return target


def render_with(templates, results):
    return Renderer(templates, ("figur1", "figur2", "socialmix")).render(results)


def refused_as_line_7(templates, results, line: str) -> str:
    """The error of rendering with ``line`` put in as line 7 of 02_resultater.md.j2."""
    path = templates / "02_resultater.md.j2"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.insert(6, line)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(TemplateError) as info:
        render_with(templates, results)
    return str(info.value)


def test_unknown_variable_names_template_and_line(templates, results):
    assert refused_as_line_7(templates, results, "Her står {{ kommuner.ka.perioen }} forkert.") == "templates/02_resultater.md.j2, linje 7: intet tal eller afsnit hedder 'kommuner.ka.perioen'"


def test_template_syntax_error_names_template_and_line(templates, results):
    path = templates / "01_om_haeftet.md.j2"
    path.write_text(path.read_text(encoding="utf-8") + "\n{% if kommuner.antal %}\nuafsluttet\n", encoding="utf-8")
    with pytest.raises(TemplateError) as info:
        render_with(templates, results)
    assert str(info.value).startswith("templates/01_om_haeftet.md.j2, linje ")
    assert str(info.value).endswith("syntaksfejl: skabelonen slutter, før en blok er lukket (mangler {% endif %} eller {% endfor %}?)")


def test_unknown_chart(templates, results):
    path = templates / "01_om_haeftet.md.j2"
    path.write_text(path.read_text(encoding="utf-8") + '\n{{ figur("figur9", "x") }}\n', encoding="utf-8")
    with pytest.raises(TemplateError, match=r"templates/01_om_haeftet.md.j2, linje \d+: ukendt figur 'figur9'"):
        render_with(templates, results)


def test_a_number_the_template_computes_is_refused(templates, results):
    """No digit is typed, yet the sum is no figure of the data: the build stops at the line."""
    line = "I alt {{ kommuner.ka.perioden.numerator + helhedsplaner.antal.value }} kommuner."
    assert refused_as_line_7(templates, results, line) == (
        "templates/02_resultater.md.j2, linje 7: en skabelon indsætter et tal, den selv har regnet ud (150), og som "
        "intet navngivet tal er kilde til: indsæt tallet med dets navn, fx {{ kommuner.antal }}")


def test_only_a_share_may_be_written_in_percent_points_by_gange(templates, results):
    """'gange=100' turns a share into percent; on a count it would make a number the data do not hold."""
    assert refused_as_line_7(templates, results, "{{ kommuner.antal | tal(0, gange=100) }}") == (
        "templates/02_resultater.md.j2, linje 7: | tal(gange=100) kan kun skrive en andel i procent eller "
        "procentpoint (gange=100 på et tal af typen andel eller procentpoint)")


def test_only_figures_and_their_formatting_are_sources_of_numbers(templates, results):
    """Figures joined as text (»46« ~ »4« = »464«) and a filter on a computed number give text
    whose numbers 'hæfte check' finds no source for; a figure through its filters is a source."""
    from hæfte import checker

    path = templates / "02_resultater.md.j2"
    path.write_text(path.read_text(encoding="utf-8") + "\nSvar fra {{ kommuner.antal.value ~ cases.antal.value }} og "
                    "{{ (kommuner.antal.value * kommuner.antal.value) | tal }}; {{ kommuner.ka.perioden | pct(1) }}; "
                    "{{ kommuner.oa.nogensinde | brøk | stort }}; {{ fakta.program.navn }}.\n", encoding="utf-8")
    rendered = render_with(templates, results)
    web = (templates.parent / "web")
    web.mkdir()
    section = next(s for s in rendered.sections if s.name == "02_resultater.md.j2")
    (web / "index.html").write_text(f"<p>{section.markdown}</p>", encoding="utf-8")
    known = rendered.tracker.injected + checker.fact_texts(results.facts)
    stray = checker.stray_numbers(templates.parent, known, pages=[])
    assert "web/index.html: 464" in stray and "web/index.html: 2.116" in stray
    assert not {"web/index.html: 78,3", "web/index.html: 2006", "web/index.html: 10"} & set(stray)


def test_only_j2_files_can_be_included(templates, results):
    """An included file the cache and the digit check do not read would be published stale and
    unchecked: only .j2 files are templates."""
    from hæfte.checker import typed_digits

    (templates / "tillaeg.md").write_text("Hele 73 pct. er tilfredse.\n", encoding="utf-8")
    path = templates / "11_konklusion.md.j2"
    path.write_text(path.read_text(encoding="utf-8") + '\n{% include "tillaeg.md" %}\n', encoding="utf-8")
    with pytest.raises(TemplateError) as info:
        render_with(templates, results)
    assert str(info.value).startswith("templates/11_konklusion.md.j2, linje ")
    assert str(info.value).endswith(": 'tillaeg.md' er ikke en skabelon: kun filer i templates/, hvis navn ender "
                                    "på .j2, kan hentes")
    (templates / "dele").mkdir()
    (templates / "dele" / "tillaeg.j2").write_text("Hele 73 pct. er tilfredse.\n", encoding="utf-8")
    assert typed_digits(templates) == ["templates/dele/tillaeg.j2:1: Hele 73 pct. er tilfredse."]


def test_a_figure_is_a_link_to_its_catalogue_entry():
    from hæfte.render import figure_link
    from hæfte.resultset import share

    f = share("kommuner.ka.perioden", 36, 46, definition="d", source="data/survey/kommuner.csv")
    assert figure_link(f) == "[78\u00a0pct.](katalog.html#kommuner.ka.perioden){.tal}"
    odd = share("a b/æ_1~-x", 1, 4, definition="d", source="data/survey/kommuner.csv")
    assert figure_link(odd) == "[25\u00a0pct.](katalog.html#a%20b%2F%C3%A6_1~-x){.tal}"


def test_data_values_are_escaped_for_markdown():
    assert md_escape("<script>alert(1)</script>") == r"\<script\>alert(1)\</script\>"
    assert md_escape("[link](http://x)") == r"\[link\](http://x)"
    assert md_escape("{{ x }}") == r"\{\{ x \}\}"


def test_a_municipality_name_with_markup_is_printed_as_text(copy_project):
    path = copy_project / "data/survey/kommuner.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("Albertslund", "Albertslund <b>[x](y)</b>"),
                    encoding="utf-8")
    project = Project.find(copy_project)
    md = render_markdown(project, pipeline.results(project)).markdown
    assert r"Albertslund \<b\>\[x\](y)\</b\>" in md
    assert "<b>" not in md


def test_editor_guide_lists_every_name_and_is_current(project, results):
    from hæfte import editor_doc

    assert editor_doc.is_current(project), "templates/README.md is stale: run 'hæfte docs --write'"
    guide = (project.templates_dir / "README.md").read_text(encoding="utf-8")
    for figure_id in results.figures:
        assert f"| `{figure_id}` |" in guide
    assert "| `brøk` |" in guide and "| `påstå(betingelse, tekst)` |" in guide
