"""Danish formatting: one rounding rule, and the boundaries of every verbal rule."""

from decimal import Decimal
from fractions import Fraction

import pytest

from hæfte import format as fmt

NB = "\u00a0"


@pytest.mark.parametrize("value,decimals,expected", [
    (Fraction(1, 2), 0, Decimal(1)), (Fraction(5, 2), 0, Decimal(3)), (Fraction(-5, 2), 0, Decimal(-3)),
    (Fraction(49, 100), 0, Decimal(0)), (Decimal("2.25"), 1, Decimal("2.3")), (0.125, 2, Decimal("0.13")),
])
def test_round_half_up_not_half_even(value, decimals, expected):
    assert fmt.round_half_up(value, decimals) == expected


@pytest.mark.parametrize("share,expected", [
    (Fraction(36, 46), f"78{NB}pct."), (Fraction(21, 43), f"49{NB}pct."), (Fraction(1, 8), f"13{NB}pct."),
    (Fraction(1, 200), f"1{NB}pct."), (Fraction(0), f"0{NB}pct."), (Fraction(1), f"100{NB}pct."),
])
def test_pct(share, expected):
    assert fmt.pct(share) == expected


def test_pct_with_decimal():
    assert fmt.pct(Fraction(1, 8), 1) == f"12,5{NB}pct."


@pytest.mark.parametrize("amount,expected", [
    (2_200_000_000, f"2,2{NB}mia.{NB}kr."), (2_250_000_000, f"2,3{NB}mia.{NB}kr."),
    (15_300_000, f"15,3{NB}mio.{NB}kr."), (245_300, f"245.300{NB}kr."), (-949.4, f"\u2212949{NB}kr."),
])
def test_kr(amount, expected):
    assert fmt.kr(amount) == expected


def test_numbers_periods_lists():
    assert fmt.number(1234567) == "1.234.567"
    assert fmt.number(2.25, 1) == "2,3"
    assert fmt.number(-0.04, 1) == "0,0"
    assert fmt.number(-0.05, 1) == "\u22120,1"
    assert fmt.number(3.14, 1, signed=True) == "+3,1"
    assert fmt.period(2004, 2013) == "2004–2013"
    assert fmt.period_short(2006, 2010) == "2006-10"
    assert fmt.year(2015) == "2015"
    assert fmt.words(["a"]) == "a"
    assert fmt.words(["a", "b"]) == "a og b"
    assert fmt.words(["København", "Odense", "Aalborg", "Ishøj"]) == "København, Odense, Aalborg og Ishøj"
    assert fmt.pct_points(Fraction(7, 1000)) == f"+0,7{NB}procentpoint"


def test_count_and_ordinal_words():
    assert [fmt.count_word(n) for n in (1, 4, 12, 13)] == ["en", "fire", "tolv", "13"]
    assert fmt.count_word(1, neuter=True) == "et"
    assert [fmt.ordinal_word(n) for n in (1, 2, 3)] == ["første", "andet", "tredje"]
    assert [fmt.few_word(n) for n in (1, 2, 3, 5, 6)] == ["en enkelt", "et par", "nogle få", "nogle få", "seks"]


@pytest.mark.parametrize("values,expected", [
    ([Fraction(37, 46), Fraction(36, 46), Fraction(35, 46)], "omkring 4 ud af 5"),   # 80, 78, 76
    ([Fraction(17, 46), Fraction(18, 46)], "knap 2 ud af 5"),                         # 37, 39
    (Fraction(11, 45), "knap hver fjerde"),                                            # 24
    (Fraction(1, 4), "hver fjerde"),                                                   # 25
    (Fraction(26, 100), "godt hver fjerde"),
    (Fraction(20, 100), "hver femte"),
    (Fraction(45, 100), "knap hver anden"),   # nearer 1/2 than 2/5 on a tie? 45 is equidistant: smaller denominator wins
    (Fraction(80, 100), "4 ud af 5"),
])
def test_fraction_phrase(values, expected):
    assert fmt.fraction_phrase(values) == expected


def test_fraction_phrase_refuses_a_spread_it_cannot_cover():
    with pytest.raises(ValueError, match="no fraction phrase fits 10, 60 pct."):
        fmt.fraction_phrase([Fraction(1, 10), Fraction(6, 10)])


# The tolerance: a phrase covers values up to 5 percentage points from its fraction, no more.
# Rules are stated on the displayed whole percentage, so a distance is a whole number from a
# fraction in whole percent (1/4, 1/2 …) and a third off one in thirds (1/3, 2/3): 4⅔, 5 and 5⅓
# are the nearest a displayed value comes to 4,9, 5,0 and 5,1.
@pytest.mark.parametrize("values,expected", [
    (Fraction(5, 100), "knap hver tiende"),                       # 5 below 10
    (Fraction(95, 100), "godt 9 ud af 10"),                       # 5 above 90
    ([Fraction(20, 100), Fraction(30, 100)], "omkring hver fjerde"),  # 5 either side of 25
    (Fraction(45, 1000), "knap hver tiende"),                     # 4,5 pct. is shown as 5: 5 below 10
    ([Fraction(29, 100), Fraction(38, 100)], "omkring hver tredje"),  # 4⅓ below and 4⅔ above 1/3
])
def test_fraction_phrase_covers_5_points(values, expected):
    assert fmt.fraction_phrase(values) == expected


@pytest.mark.parametrize("values,shown", [
    (Fraction(4, 100), "4"),                                      # 6 below 10
    (Fraction(96, 100), "96"),                                    # 6 above 90
    (Fraction(449, 10000), "4"),                                  # 4,49 pct. is shown as 4: 6 below
    ([Fraction(19, 100), Fraction(31, 100)], "19, 31"),           # 6 either side of 25
    ([Fraction(28, 100), Fraction(38, 100)], "28, 38"),           # 5⅓ below 1/3 (and 4⅔ above)
])
def test_fraction_phrase_refuses_more_than_5_points(values, shown):
    with pytest.raises(ValueError) as info:
        fmt.fraction_phrase(values)
    assert str(info.value) == f"no fraction phrase fits {shown} pct."


@pytest.mark.parametrize("pct,expected", [
    (90, "næsten alle"), (89, "langt størstedelen"), (70, "langt størstedelen"), (69, "størstedelen"),
    (51, "størstedelen"), (50, "halvdelen"), (49, "under halvdelen"),
])
def test_majority_word_boundaries(pct, expected):
    assert fmt.majority_word(Fraction(pct, 100)) == expected


def test_majority_word_judges_the_smallest_value():
    assert fmt.majority_word([Fraction(94, 100), Fraction(76, 100)]) == "langt størstedelen"


def test_majority_word_uses_the_displayed_percentage():
    # 50.4 pct. is shown as "50 pct.": it must not be called "størstedelen"
    assert fmt.majority_word(Fraction(504, 1000)) == "halvdelen"
    assert fmt.majority_word(Fraction(505, 1000)) == "størstedelen"


@pytest.mark.parametrize("values,expected", [
    ([Fraction(15, 100), Fraction(2, 100)], "sjældent"), ([Fraction(16, 100)], "af og til"),
    ([Fraction(20, 100)], "tit"), ([Fraction(19, 100), Fraction(30, 100)], "af og til"),
])
def test_frequency_word(values, expected):
    assert fmt.frequency_word(values) == expected


@pytest.mark.parametrize("share,expected", [
    (Fraction(404, 1000), f"omkring 40{NB}pct."), (Fraction(449, 1000), f"omkring 40{NB}pct."),
    (Fraction(45, 100), f"omkring 50{NB}pct."), (Fraction(351, 1000), f"omkring 40{NB}pct."),
])
def test_about_pct(share, expected):
    assert fmt.about_pct(share) == expected


def test_zero_has_no_sign_and_signed_numbers_have_one():
    assert fmt.number(0, 1, signed=True) == "0,0"
    assert fmt.number(Fraction(-4, 100), 1, signed=True) == "0,0"  # −0,04 is shown as 0,0, not −0,0
    assert fmt.number(Fraction(5, 100), 1, signed=True) == "+0,1"
    assert fmt.number(Fraction(-5, 100), 1, signed=True) == f"{fmt.MINUS}0,1"
    assert fmt.pct_points(0) == f"0,0{NB}procentpoint"
    assert fmt.pct_points(Fraction(1, 2)) == f"+50,0{NB}procentpoint"
    assert fmt.pct_points(Fraction(-12, 1000), signed=False) == f"{fmt.MINUS}1,2{NB}procentpoint"


def test_percent_value_keeps_the_decimals_asked_for():
    assert fmt.percent_value(Fraction(1, 3), 1) == Decimal("33.3")
    assert fmt.percent_value(Fraction(2, 3)) == Decimal("67")


@pytest.mark.parametrize("amount,expected", [
    (10**9, f"1,0{NB}mia.{NB}kr."), (10**9 - 1, f"1.000,0{NB}mio.{NB}kr."),
    (10**6, f"1,0{NB}mio.{NB}kr."), (1_500_000, f"1,5{NB}mio.{NB}kr."), (999_999, f"999.999{NB}kr."),
    (-2_000_000, f"{fmt.MINUS}2,0{NB}mio.{NB}kr."),
])
def test_kr_changes_unit_at_a_million_and_a_billion(amount, expected):
    assert fmt.kr(amount) == expected


def test_data_numbers_for_spreadsheets():
    assert fmt.data_number(Fraction(12345, 10), 1) == "1234,5"
    assert fmt.data_number(-2.25, 1) == "-2,3"
    assert fmt.data_number(Fraction(1, 3), 2) == "0,33"
    assert fmt.data_number(46) == "46"


@pytest.mark.parametrize("n_bytes,expected", [
    (840_000, f"840{NB}kB"), (10, f"1{NB}kB"), (1_500, f"2{NB}kB"), (999_499, f"999{NB}kB"),
    (1_000_000, f"1,0{NB}MB"), (1_250_000, f"1,3{NB}MB"), (12_340_000, f"12,3{NB}MB"),
])
def test_file_size(n_bytes, expected):
    assert fmt.file_size(n_bytes) == expected


def test_long_date():
    from datetime import date

    assert fmt.long_date(date(2026, 11, 27)) == "27. november 2026"
    assert fmt.long_date(date(2013, 5, 1)) == "1. maj 2013"


def test_lists_with_og_or_eller():
    assert fmt.words(["a", "b", "c"], "eller") == "a, b eller c"
    assert fmt.words([]) == ""
    assert fmt.words([1, 2]) == "1 og 2"


def test_at_clauses_write_shared_words_once():
    assert fmt.at_clauses([]) == ""
    assert fmt.at_clauses(["x", "y", "z"]) == "at x, at y, og at z"
    # three shared words make a group; two do not; groups keep the place of their first item
    assert fmt.at_clauses(["skaffe boliger til pendlere", "skaffe boliger til tilflyttere", "hjælpe nogen",
                           "skaffe boliger til unge"]) == \
        "at skaffe boliger til pendlere, tilflyttere og unge, og at hjælpe nogen"
    assert fmt.at_clauses(["skaffe boliger til pendlere", "skaffe boliger hurtigt"], "eller") == \
        "at skaffe boliger til pendlere, eller at skaffe boliger hurtigt"
    assert fmt.at_clauses(["a b c d e", "a b c d f", "a b c g"]) == "at a b c d e og f, og at a b c g"
    # infinitives are not clauses: no comma before the conjunction
    assert fmt.at_clauses(["skabe x", "øge y", "modvirke z"], infinitive=True) == "at skabe x, at øge y og at modvirke z"


def test_small_numbers_as_words_and_case_numbers_as_roman_numerals():
    assert [fmt.ordinal_word(n) for n in (0, 12, 13)] == ["nulte", "tolvte", "13."]
    assert [fmt.count_word(n) for n in (0, 1000)] == ["nul", "1.000"]
    assert [fmt.few_word(n) for n in (0, 4, 13)] == ["nul", "nogle få", "13"]
    assert [fmt.roman(n) for n in (1, 4, 9, 14, 40, 90, 400, 1999, 2026)] == \
        ["I", "IV", "IX", "XIV", "XL", "XC", "CD", "MCMXCIX", "MMXXVI"]
    assert fmt.capitalize("ærø") == "Ærø" and fmt.capitalize("") == ""


def test_shared_words_are_compared_from_the_first_word_and_tails_keep_their_words():
    assert fmt.at_clauses(["skaffe boliger til pendlere", "finde boliger til unge"]) == \
        "at skaffe boliger til pendlere, og at finde boliger til unge"
    assert fmt.at_clauses(["skaffe boliger til unge familier", "skaffe boliger til ældre"]) == \
        "at skaffe boliger til unge familier og ældre"
    assert fmt.at_clauses(["modvirke en høj andel", "skaffe boliger til pendlere", "skaffe boliger til tilflyttere",
                           "skaffe boliger til akut boligsøgende"], "eller") == \
        "at modvirke en høj andel, eller at skaffe boliger til pendlere, tilflyttere eller akut boligsøgende"
    assert fmt.at_clauses(["der ikke er behov for det"]) == "at der ikke er behov for det"


def test_quantifiers_read_a_figures_value():
    from hæfte.resultset import share

    def f(numerator, base):
        return share("x", numerator, base, definition="d", source="data/survey/kommuner.csv")

    assert fmt.fraction_phrase([f(37, 46), f(35, 46)]) == "omkring 4 ud af 5"
    assert fmt.fraction_phrase(f(11, 45)) == "knap hver fjerde"
    assert fmt.majority_word(f(43, 46)) == "næsten alle"
    assert fmt.frequency_word([f(2, 46), f(3, 46)]) == "sjældent"
    assert fmt.about_pct(f(18, 45)) == f"omkring 40{NB}pct."


def test_a_value_on_the_fraction_and_one_beside_it_is_omkring():
    assert fmt.fraction_phrase([Fraction(25, 100), Fraction(26, 100)]) == "omkring hver fjerde"
    assert fmt.fraction_phrase([Fraction(24, 100), Fraction(25, 100)]) == "omkring hver fjerde"


def test_majority_word_in_the_over_halvdelen_style():
    assert fmt.majority_word(Fraction(60, 100), style="over halvdelen") == "over halvdelen"
    assert fmt.majority_word(Fraction(75, 100), style="over halvdelen") == "langt størstedelen"
    assert fmt.majority_word(Fraction(95, 100), style="over halvdelen") == "næsten alle"


def test_roman_numerals_with_every_letter():
    assert fmt.roman(3888) == "MMMDCCCLXXXVIII"
    assert [fmt.roman(n) for n in (500, 100, 50, 550)] == ["D", "C", "L", "DL"]


def test_an_item_shorter_than_the_shared_words_stays_whole():
    assert fmt.at_clauses(["skaffe boliger til pendlere", "skaffe boliger"]) == \
        "at skaffe boliger til pendlere, og at skaffe boliger"
