"""The valid-answer bases (``hæfte.compute.common``): who is counted in a share's base, on a few
answers in process. Every percentage of the booklet is taken over these bases."""

from __future__ import annotations

import pandas as pd
import pytest

from hæfte.compute import common


def answers(*values: str) -> pd.Series:
    return pd.Series(list(values), dtype="string")


def test_yes_no_counts_ja_and_nej_and_leaves_ved_ikke_and_blank_out_of_the_base():
    mask = common.yes_no(answers("Ja", "Nej", "Ved ikke", "", "Ja"))
    assert mask.tolist() == [True, False, pd.NA, pd.NA, True]
    assert common.counts(mask) == (2, 3)


def test_ticked_is_one_zero_or_not_asked():
    mask = common.ticked(answers("1", "0", "", "1", "0"))
    assert mask.tolist() == [True, False, pd.NA, True, False]
    assert common.counts(mask) == (2, 4)


def test_ever_used_is_ja_if_either_nej_only_if_both():
    period = answers("Ja", "Nej", "Nej", "Nej", "Ved ikke", "", "Ja", "")
    now = answers("Nej", "Ja", "Nej", "Ved ikke", "Nej", "", "Ved ikke", "Ja")
    mask = common.ever(period, now)
    assert mask.tolist() == [True, True, False, pd.NA, pd.NA, pd.NA, True, True]
    assert common.counts(mask) == (4, 5)


def test_counts_of_nothing_valid():
    assert common.counts(common.yes_no(answers("Ved ikke", ""))) == (0, 0)


def test_ved_ikke_stays_in_the_base_of_the_five_point_scale_blank_does_not():
    scale = answers("I høj grad", "I nogen grad", "I ringe grad", "Slet ikke", "Ved ikke", "", "Andet")
    assert common.likert_valid(scale).tolist() == ["I høj grad", "I nogen grad", "I ringe grad", "Slet ikke",
                                                   "Ved ikke"]


def test_labels_are_per_codebook_group_and_the_short_form_falls_back_to_the_long():
    codebook = pd.DataFrame({"gruppe": ["redskab", "redskab", "maal", "redskab"],
                             "kode": ["ka", "fu", "ka", "oa"],
                             "tekst": ["Kommunal anvisning", "Fleksibel udlejning", "Et mål", "Offentlig annoncering"],
                             "kort": ["kommunal anvisning", "", "mål", None]})
    assert common.labels(codebook, "redskab") == {"ka": "Kommunal anvisning", "fu": "Fleksibel udlejning",
                                                   "oa": "Offentlig annoncering"}
    assert common.short_labels(codebook, "redskab") == {"ka": "kommunal anvisning", "fu": "Fleksibel udlejning",
                                                         "oa": "Offentlig annoncering"}
    assert common.short_labels(codebook.drop(columns="kort"), "maal") == {"ka": "Et mål"}


def test_every_mask_is_a_nullable_boolean_series():
    period, now = answers("Ja", "Nej", ""), answers("Nej", "Nej", "")
    for mask in (common.yes_no(period), common.ticked(answers("1", "0", "")), common.ever(period, now)):
        assert str(mask.dtype) == "boolean"


def test_compute_steps_add_up_in_order_and_a_name_computed_twice_stops_the_sum():
    first = common.Computed(figures=("f1",), orderings={"o1": "x"}, tables=("t1",), facts={"k1": 1})
    second = common.Computed(figures=("f2",), orderings={"o2": "y"}, tables=("t2",), facts={"k2": 2})
    assert first + second == common.Computed(("f1", "f2"), {"o1": "x", "o2": "y"}, ("t1", "t2"), {"k1": 1, "k2": 2})
    for clash, message in ((common.Computed(orderings={"o1": "z"}), "orderings computed twice: ['o1']"),
                           (common.Computed(facts={"k1": 3}), "facts computed twice: ['k1']")):
        with pytest.raises(ValueError) as info:
            first + clash
        assert str(info.value) == message
