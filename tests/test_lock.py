"""The figure lock (``hæfte.lock``) compared in process: drift in the display, the numerator or
the base, wording chosen by rule, sentences that went or came, and the editors' report."""

from __future__ import annotations

from hæfte import lock

NB = "\u00a0"


def _entry(display: str, numerator, base, sentence: str = "Sætningen.") -> dict:
    return {"display": display, "numerator": numerator, "base": base, "data": "sha256:0", "templates": ["t.md.j2:3"],
            "sentences": [sentence]}


def test_drift_in_numerator_or_base_is_found_when_the_display_is_the_same():
    locked = {"figures": {"andel": _entry(f"78{NB}pct.", 36, 46), "antal": _entry("46", None, 46),
                          "fast": _entry("5", None, None)}}
    now = {"figures": {"andel": _entry(f"78{NB}pct.", 39, 50), "antal": _entry("46", None, 47),
                       "fast": _entry("5", None, None)}}
    assert lock.compare(locked, now) == [
        lock.Drift("andel", "78 pct. (36/46)", "78 pct. (39/50)", "t.md.j2:3", "Sætningen."),
        lock.Drift("antal", "46 (n=46)", "46 (n=47)", "t.md.j2:3", "Sætningen.")]


def test_drift_in_the_numerator_alone_and_in_the_display_alone():
    locked = {"figures": {"a": _entry(f"78{NB}pct.", 36, 46), "b": _entry(f"2,2{NB}mia.{NB}kr.", None, None)}}
    now = {"figures": {"a": _entry(f"78{NB}pct.", 37, 46), "b": _entry(f"2,3{NB}mia.{NB}kr.", None, None)}}
    assert lock.compare(locked, now) == [
        lock.Drift("a", "78 pct. (36/46)", "78 pct. (37/46)", "t.md.j2:3", "Sætningen."),
        lock.Drift("b", "2,2 mia. kr.", "2,3 mia. kr.", "t.md.j2:3", "Sætningen.")]


def test_a_figure_quoted_or_dropped_since_the_lock_is_drift():
    locked = {"figures": {"gammel": _entry("5", None, 5, "Før.")}}
    now = {"figures": {"ny": _entry("7", 3, 7, "Nu.")}}
    assert lock.compare(locked, now) == [
        lock.Drift("gammel", "5 (n=5)", "(intet)", "t.md.j2:3", "Før."),
        lock.Drift("ny", "(intet)", "7 (3/7)", "t.md.j2:3", "Nu.")]
    assert lock.compare(now, now) == []


def test_wording_and_rankings_are_compared_key_by_key():
    locked = {"words": {"08_brug.md.j2:4:brøk:kommuner.oa": "knap hver fjerde", "08_brug.md.j2:9:flertal:a+b": "næsten alle"},
              "orderings": {"redskaber": ["ka", "fu"]}}
    now = {"words": {"08_brug.md.j2:4:brøk:kommuner.oa": "godt hver fjerde", "08_brug.md.j2:9:flertal:a+b": "næsten alle"},
           "orderings": {"redskaber": ["fu", "ka"]}}
    assert lock.changed_wording(locked, now) == [
        lock.Drift("ord (brøk) kommuner.oa", "knap hver fjerde", "godt hver fjerde", "08_brug.md.j2:4", ""),
        lock.Drift("rangorden.redskaber", "ka > fu", "fu > ka", "", "")]
    assert lock.changed_wording(locked, locked) == []
    assert lock.changed_wording({}, {"words": {"t:1:brøk:x": "hver femte"}}) == [
        lock.Drift("ord (brøk) x", "(intet)", "hver femte", "t:1", "")]


def test_sentences_carry_the_ids_of_the_figures_displayed_in_them():
    markdown = (f"## Brug {{#brug}}\n\nI alt har [78{NB}pct.](katalog.html#kommuner.ka.perioden){{.tal}} brugt "
                "kommunal anvisning. Det er mange: [36](katalog.html#kommuner.ka.n){.tal} af 46.\n\n"
                "<figure>\n<img src=\"x.svg\">\n</figure>\n\n- Et punkt uden tal.")
    assert lock.sentences_with_figures(markdown) == [
        ("Brug", []),
        ("I alt har 78 pct. brugt kommunal anvisning.", ["kommuner.ka.perioden"]),  # a no-break space is a space
        ("Det er mange: 36 af 46.", ["kommuner.ka.n"]),
        ("Et punkt uden tal.", []),
    ]


def test_changed_sentences_lists_what_went_and_what_came_per_template():
    locked = {"sentences": {"a": ["Et.", "To.", "Tre."], "b": ["Uændret."]}}
    now = {"sentences": {"a": ["Et.", "To og en halv.", "Tre."], "b": ["Uændret."], "c": ["Ny."]}}
    assert lock.changed_sentences(locked, now) == [("a", ["To."], ["To og en halv."]), ("c", [], ["Ny."])]


def test_the_change_report_names_figure_old_new_template_and_sentence():
    locked = {"figures": {"a": _entry(f"78{NB}pct.", 36, 46, "Før: 78 pct.")}, "sentences": {"t": ["Før: 78 pct."]}}
    now = {"figures": {"a": _entry(f"80{NB}pct.", 37, 46, "Nu: 80 pct.")}, "sentences": {"t": ["Nu: 80 pct."]}}
    assert lock.change_report(locked, now) == "\n".join([
        "# Ændringer i hæftet", "", "## Ændrede tal (1)", "",
        "### `a`: 78 pct. (36/46) → 80 pct. (37/46)", "", "Skabelon: `t.md.j2:3`", "",
        "- Før: Før: 78 pct.", "- Nu: Nu: 80 pct.", "",
        "## Ændrede sætninger (1)", "", "### `t`", "", "- Før: Før: 78 pct.", "- Nu: Nu: 80 pct.", ""])
    assert lock.change_report(now, now) == "# Ændringer i hæftet\n\nIngen tal og ingen sætninger er ændret.\n"
    assert lock.change_report(None, now) == ("# Ændringer i hæftet\n\nDer var ingen lås før; alle tal er låst "
                                             "for første gang.\n")


def test_only_changed_figures_are_drift_whatever_their_order():
    locked = {"figures": {"a": _entry("5", None, 5), "b": _entry("6", None, 6), "c": _entry("7", None, 7)}}
    now = {"figures": {"a": _entry("5", None, 5), "b": _entry("6", None, 8), "c": _entry("7", None, 7)}}
    assert [d.figure_id for d in lock.compare(locked, now)] == ["b"]


def test_a_figure_quoted_nowhere_any_longer_has_no_template_or_sentence():
    gone = {**_entry("5", None, 5), "templates": [], "sentences": []}
    assert lock.compare({"figures": {"a": gone}}, {"figures": {}}) == [lock.Drift("a", "5 (n=5)", "(intet)", "", "")]


def test_words_and_rankings_that_came_or_went():
    locked = {"words": {"t.md.j2:4:brøk:a": "knap hver fjerde"}, "orderings": {"gammel": ["a", "b"]}}
    now = {"words": {"t.md.j2:5:flertal:b": "næsten alle"}, "orderings": {"ny": ["c", "d"]}}
    assert lock.changed_wording(locked, now) == [
        lock.Drift("ord (brøk) a", "knap hver fjerde", "(intet)", "t.md.j2:4", ""),
        lock.Drift("ord (flertal) b", "(intet)", "næsten alle", "t.md.j2:5", ""),
        lock.Drift("rangorden.gammel", "a > b", "(intet)", "", ""),
        lock.Drift("rangorden.ny", "(intet)", "c > d", "", "")]
    # a lock from before words and rankings were recorded, and a snapshot without them
    assert lock.changed_wording({}, now)[0] == lock.Drift("ord (flertal) b", "(intet)", "næsten alle", "t.md.j2:5", "")
    assert [d.now for d in lock.changed_wording(locked, {})] == ["(intet)", "(intet)"]


def test_a_word_keyed_by_ids_with_a_colon_keeps_them_whole():
    drift = lock.changed_wording({"words": {}}, {"words": {"t.md.j2:7:brøk:a:b+c": "hver femte"}})
    assert drift == [lock.Drift("ord (brøk) a:b+c", "(intet)", "hver femte", "t.md.j2:7", "")]


def test_figure_blocks_and_details_hold_no_sentences_of_the_text():
    markdown = ("Før figuren.\n\n  <figure>\n<figcaption>Figur 1. Brug.</figcaption>\n</figure>\n\n"
                " <details>\n<summary>Tallene bag figur 1</summary>\n</details>\n\n"
                "Teksten siger AT\\&T og <b>fed</b> {.x} tekst.")
    assert lock.sentences_with_figures(markdown) == [("Før figuren.", []), ("Teksten siger AT&T og fed tekst.", [])]


def test_changed_sentences_of_a_template_that_went_and_of_two_places_in_one():
    locked = {"sentences": {"a": ["A.", "B.", "C.", "D.", "E."], "b": ["Væk."]}}
    now = {"sentences": {"a": ["A.", "B2.", "C.", "D2.", "E."]}}
    assert lock.changed_sentences(locked, now) == [("a", ["B.", "D."], ["B2.", "D2."]), ("b", ["Væk."], [])]


def test_the_change_report_for_a_new_figure_and_changed_figures_in_unchanged_sentences():
    same = ["S1.", "S2.", "S3.", "S4."]
    locked = {"figures": {"a": {**_entry("5", None, 5), "sentences": same}}, "sentences": {"t": same}}
    now = {"figures": {"a": {**_entry("5", None, 6), "sentences": same}, "ny": _entry("7", None, 7, "S1.")},
           "sentences": {"t": same}}
    assert lock.change_report(locked, now) == "\n".join([
        "# Ændringer i hæftet", "", "## Ændrede tal (2)", "",
        "### `a`: 5 (n=5) → 5 (n=6)", "", "Skabelon: `t.md.j2:3`", "",
        "- Før: S1.", "- Før: S2.", "- Før: S3.", "- Nu: S1.", "- Nu: S2.", "- Nu: S3.", "",  # the first three
        "### `ny`: (intet) → 7 (n=7)", "", "Skabelon: `t.md.j2:3`", "", "- Nu: S1.", "",
        "## Ændrede sætninger (0)", ""])


def test_the_change_report_for_a_figure_no_longer_quoted():
    locked = {"figures": {"gammel": _entry("5", None, 5, "Før.")}, "sentences": {"t": ["Før."]}}
    now = {"figures": {}, "sentences": {"t": ["Før."]}}  # the sentence stays, its number became text
    assert lock.change_report(locked, now) == "\n".join([
        "# Ændringer i hæftet", "", "## Ændrede tal (1)", "",
        "### `gammel`: 5 (n=5) → (intet)", "", "Skabelon: `t.md.j2:3`", "", "- Før: Før.", "",
        "## Ændrede sætninger (0)", ""])
