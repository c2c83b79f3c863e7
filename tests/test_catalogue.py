"""The figure catalogue's print entries: one sentence per field, no empty ones."""

import re

from hæfte import catalogue, lock
from hæfte.builder import render_markdown


def test_a_print_entry_leaves_out_the_fields_a_figure_does_not_have(project, results):
    snap = lock.snapshot(project, results, render_markdown(project, results))
    blocks = catalogue.catalogue_markdown(results, snap, layout="blocks")
    entries = dict(re.findall(r"<code>([^<]+)</code> <b>[^<]*</b></p><p>(.*?)</p></div>", blocks))
    assert len(entries) == len(results.figures)
    assert entries["program.periode_kort"] == ("programperioden i kort form, som i navnet på midlerne. Spurgt: –. "
                          "Kilde: data/fakta/program.yaml. Citeres ikke.")  # no counts, no data
    assert [e for e in entries.values() if re.search(r"\.\s*\.|\s\.", e)] == []  # no '. .', no ' .'
