"""compute/tools.py: shares of the tools' use, and of pairs of tools used together."""

from hæfte import pipeline
from hæfte.project import Project
from helpers import read_rows, write_rows


def test_a_pair_counts_only_plans_with_a_valid_answer_on_both_tools(copy_project):
    """»Nej« to one tool beside »Ved ikke« to the other is no valid »no« to the pair: the base of
    a combination is the plans that answered both (Kleene's '&' would keep them)."""
    path = copy_project / "data/survey/helhedsplaner.csv"
    rows = read_rows(path)
    head = rows[0]
    ka, fu = head.index("ka_perioden"), head.index("fu_perioden")
    changed = 0
    for row in rows[1:]:
        if changed < 10 and row[ka] == "Nej" and row[fu] == "Nej":
            row[fu] = "Ved ikke"
            changed += 1
    assert changed == 10
    write_rows(path, rows)
    results = pipeline.results(Project.find(copy_project))
    pair = results["helhedsplaner.kombination.ka_fu"]
    assert (pair.numerator, pair.base, pair.display) == (50, 104, "48\u00a0pct.")
    assert results["helhedsplaner.fu.perioden"].base == 104
