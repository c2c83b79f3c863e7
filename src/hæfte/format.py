"""Danish number and text formatting: the one formatter for prose, tables and chart ticks.

In:  exact values (``Fraction``, ``int``, ``float``, ``Decimal``) and lists of words.
Out: Danish strings: "78 pct.", "2,2 mia. kr.", "1.234", "2004–2013", "a, b og c",
     "knap hver fjerde", "omkring 4 ud af 5", "næsten alle".

Rounding is decided once, here: half away from zero on the exact value (``round_half_up``),
done with ``Fraction`` arithmetic before babel sees the number. Babel itself rounds half-even;
because we hand it an already rounded ``Decimal`` with exactly the digits to show, its rule never
applies. Every place a number is shown calls these functions, so text, tables and charts agree.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from babel.lists import format_list
from babel.numbers import format_decimal

LOCALE = "da_DK"
NBSP = "\u00a0"
EN_DASH = "\u2013"
MINUS = "\u2212"

Number = Fraction | int | float | Decimal


def _exact(value: Number) -> Fraction:
    if isinstance(value, Fraction):
        return value
    if isinstance(value, (int, Decimal)):
        return Fraction(value)
    # floats (also numpy's) come from means, estimates and chart ticks: their shortest decimal
    # repr is the intended value, so 2.675 rounds to 2.68 and not to 2.67
    return Fraction(Decimal(repr(float(value))))


def round_half_up(value: Number, decimals: int = 0) -> Decimal:
    """Round the exact value half away from zero to ``decimals`` places, as a Decimal."""
    exact = _exact(value)
    scale = Fraction(10) ** decimals
    scaled = abs(exact) * scale
    rounded = int(scaled + Fraction(1, 2))  # floor(x + 1/2) for x >= 0
    sign = -1 if exact < 0 else 1
    return Decimal(sign * rounded).scaleb(-decimals)


def number(value: Number, decimals: int = 0, signed: bool = False) -> str:
    """'1.234', '2,2', '−3,1' (true minus sign), or '+3,1' with ``signed``."""
    d = round_half_up(value, decimals)
    if d == 0:
        d = abs(d)  # no "−0,0": a value that rounds to zero is shown without a sign
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    text = format_decimal(abs(d), format=pattern, locale=LOCALE)
    if d < 0:
        return MINUS + text
    if signed and d > 0:
        return "+" + text
    return text


def data_number(value: Number, decimals: int = 0) -> str:
    """'1234,5' for data files a spreadsheet reads (Danish Excel: decimal comma, no thousands
    separator, a plain hyphen-minus)."""
    return str(round_half_up(value, decimals)).replace(".", ",")


def file_size(n_bytes: int) -> str:
    """A download's size as readers see it: '840 kB', '1,3 MB' (1 kB = 1.000 bytes)."""
    if n_bytes >= 1_000_000:
        return f"{number(Fraction(n_bytes, 1_000_000), 1)}{NBSP}MB"
    return f"{number(Fraction(max(n_bytes, 1000), 1000))}{NBSP}kB"


def long_date(day) -> str:
    """'27. november 2026'."""
    from babel.dates import format_date

    return format_date(day, format="long", locale=LOCALE)


def percent_value(share: Number, decimals: int = 0) -> Decimal:
    """The percentage that is shown for a share (0..1), rounded by the one rule."""
    return round_half_up(_exact(share) * 100, decimals)


def pct(share: Number, decimals: int = 0) -> str:
    """A share 0..1 as Danish percent text: '78 pct.' with a no-break space."""
    return number(_exact(share) * 100, decimals) + NBSP + "pct."


def pct_points(diff: Number, decimals: int = 1, signed: bool = True) -> str:
    """A difference of shares (0..1) in percentage points: '+1,2 procentpoint'."""
    return number(_exact(diff) * 100, decimals, signed=signed) + NBSP + "procentpoint"


def kr(amount: Number) -> str:
    """Amounts in kroner: '2,2 mia. kr.', '15,3 mio. kr.', '245.300 kr.'."""
    exact = _exact(amount)
    if abs(exact) >= 10**9:
        return number(exact / 10**9, 1) + NBSP + "mia." + NBSP + "kr."
    if abs(exact) >= 10**6:
        return number(exact / 10**6, 1) + NBSP + "mio." + NBSP + "kr."
    return number(exact, 0) + NBSP + "kr."


def period(start: int, end: int) -> str:
    """A range of years with an en dash: '2004–2013'."""
    return f"{start}{EN_DASH}{end}"


def period_short(start: int, end: int) -> str:
    """The short form used in names such as '2006-10-midlerne': '2006-10'."""
    return f"{start}-{end % 100:02d}"


def year(value: int) -> str:
    """Years are written without a thousands separator: '2015'."""
    return str(int(value))


def words(items, conjunction: str = "og") -> str:
    """'a', 'a og b', 'a, b og c' (Danish list, no serial comma); 'a, b eller c' with 'eller'."""
    items = [str(i) for i in items]
    if not items:
        return ""
    return format_list(items, style="or" if conjunction == "eller" else "standard", locale=LOCALE)


SHARED_WORDS = 3  # items that begin with at least this many equal words are written once ("factored")


def _factored(items: list[str], conjunction: str) -> list[str]:
    """Group items that share their first words and write the shared words once:
    ['skaffe boliger til pendlere', 'skaffe boliger til tilflyttere'] -> ['skaffe boliger til pendlere
    og tilflyttere']. Groups keep the order of their first item."""
    groups: list[tuple[list[str], list[list[str]]]] = []
    for item in items:
        words_ = item.split()
        for head, tails in groups:
            if words_[:len(head)] == head:
                tails.append(words_[len(head):])
                break
            common = 0
            while common < min(len(head), len(words_)) and head[common] == words_[common]:
                common += 1
            if common >= SHARED_WORDS and len(tails) == 1:
                tails[0] = head[common:] + tails[0]
                del head[common:]
                tails.append(words_[common:])
                break
        else:
            groups.append((words_, [[]]))
    out = []
    for head, tails in groups:
        rest = [" ".join(t) for t in tails if t]
        out.append(" ".join(head) + (" " + words(rest, conjunction) if rest else ""))
    return out


def at_clauses(items, conjunction: str = "og", infinitive: bool = False) -> str:
    """Clauses as Danish writes them after a verb: 'at A, at B(,) og at C', with the words items
    share written once: 'at modvirke …, eller at hjælpe med at stille boliger til rådighed for
    pendlere, tilflyttere eller udsatte børnefamilier'. Items are given without their 'at'.
    Coordinated at-clauses take a comma before og/eller (Retskrivningsordbogen, § 58); infinitives
    ('at skabe …, at øge … og at modvirke …') are not clauses and are listed without it."""
    parts = ["at " + p for p in _factored([str(i) for i in items], conjunction)]
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + ("" if infinitive else ",") + f" {conjunction} " + parts[-1]


# Babel has no spell-out of numbers for Danish; small counts in prose are written as words
# by Danish style (Retskrivningsordbogen: numbers up to twelve in running text).
_CARDINALS = ["nul", "en", "to", "tre", "fire", "fem", "seks", "syv", "otte", "ni", "ti", "elleve", "tolv"]
_ORDINALS = ["nulte", "første", "andet", "tredje", "fjerde", "femte", "sjette", "syvende", "ottende",
             "niende", "tiende", "ellevte", "tolvte"]


def count_word(n: int, neuter: bool = False) -> str:
    """Small counts as words ('fire'), larger as digits ('46'); ``neuter`` gives 'et' for 1."""
    n = int(n)
    if 0 <= n < len(_CARDINALS):
        return "et" if (n == 1 and neuter) else _CARDINALS[n]
    return number(n)


def few_word(n: int) -> str:
    """Small counts of respondents as words: 1 'en enkelt', 2 'et par', 3-5 'nogle få'."""
    n = int(n)
    if n == 1:
        return "en enkelt"
    if n == 2:
        return "et par"
    if 3 <= n <= 5:
        return "nogle få"
    return count_word(n)


def ordinal_word(n: int) -> str:
    """'første', 'andet', 'tredje' ... for small ordinals, else '13.'."""
    n = int(n)
    return _ORDINALS[n] if 0 <= n < len(_ORDINALS) else f"{n}."


def roman(n: int) -> str:
    """Case numbers as Roman numerals: 1 -> 'I', 4 -> 'IV'."""
    n = int(n)
    out = ""
    for value, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                           (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        count, n = divmod(n, value)
        out += letters * count
    return out


def capitalize(text: str) -> str:
    return text[:1].upper() + text[1:]


# ---------------------------------------------------------------- verbal quantifiers
# Each rule is stated on the displayed (rounded) percentage, so the words and the printed
# number can never disagree.

# Fractions a reader knows, with their Danish phrase. "hver n'te" for 1/n, "k ud af n" otherwise.
_FRACTIONS: list[tuple[Fraction, str]] = [
    (Fraction(1, 10), "hver tiende"), (Fraction(1, 5), "hver femte"), (Fraction(1, 4), "hver fjerde"),
    (Fraction(1, 3), "hver tredje"), (Fraction(2, 5), "2 ud af 5"), (Fraction(1, 2), "hver anden"),
    (Fraction(3, 5), "3 ud af 5"), (Fraction(2, 3), "2 ud af 3"), (Fraction(3, 4), "3 ud af 4"),
    (Fraction(4, 5), "4 ud af 5"), (Fraction(9, 10), "9 ud af 10"),
]
FRACTION_TOLERANCE = 5  # percentage points within which a fraction phrase is used


def _pcts(values) -> list[Decimal]:
    if isinstance(values, (list, tuple)):
        return [percent_value(getattr(v, "value", v)) for v in values]
    return [percent_value(getattr(values, "value", values))]


def fraction_phrase(values) -> str:
    """'knap hver fjerde', 'omkring 4 ud af 5', 'godt hver tredje', '2 ud af 5'.

    One value or a group of values (then the phrase must fit every one of them). The nearest
    fraction is chosen on the mean; every value must lie within ±5 percentage points of it.
    All values on the fraction: no qualifier. All below: 'knap'. All above: 'godt'.
    Values on both sides: 'omkring'.
    """
    pcts = _pcts(values)
    mean = sum(pcts) / len(pcts)
    frac, phrase = min(_FRACTIONS, key=lambda fp: (abs(Decimal(fp[0].numerator * 100) / fp[0].denominator - mean), fp[0].denominator))
    target = Decimal(frac.numerator * 100) / frac.denominator
    diffs = [p - target for p in pcts]
    if any(abs(d) > FRACTION_TOLERANCE for d in diffs):
        raise ValueError(f"no fraction phrase fits {', '.join(str(p) for p in pcts)} pct.")
    if all(abs(d) < 1 for d in diffs) and len(set(pcts)) == 1:
        return phrase
    if all(d < 0 for d in diffs):
        return "knap " + phrase
    if all(d > 0 for d in diffs):
        return "godt " + phrase
    return "omkring " + phrase


# Majority words, on the smallest of the values (a statement about "both" must hold for both).
MAJORITY_RULES: list[tuple[Decimal, str]] = [
    (Decimal(90), "næsten alle"),
    (Decimal(70), "langt størstedelen"),
    (Decimal("50.5"), "størstedelen"),
]


def majority_word(values, style: str = "størstedelen") -> str:
    """'næsten alle' (≥ 90 pct.), 'langt størstedelen' (≥ 70), 'størstedelen' (> 50),
    'halvdelen' (50), 'under halvdelen' (< 50), judged on the smallest value.
    With ``style='over halvdelen'`` the word for more than half is 'over halvdelen'."""
    low = min(_pcts(values))
    for threshold, word in MAJORITY_RULES:
        if low >= threshold:
            return style if word == "størstedelen" else word
    if low == 50:
        return "halvdelen"
    return "under halvdelen"


RARELY_MAX = Decimal(15)
OFTEN_MIN = Decimal(20)


def frequency_word(values) -> str:
    """'sjældent' when every value is at most 15 pct., 'tit' when every value is at least
    20 pct., otherwise 'af og til'."""
    pcts = _pcts(values)
    if max(pcts) <= RARELY_MAX:
        return "sjældent"
    if min(pcts) >= OFTEN_MIN:
        return "tit"
    return "af og til"


def about_pct(value, step: int = 10) -> str:
    """'omkring 40 pct.': the share rounded to the nearest ``step`` percentage points."""
    p = _exact(getattr(value, "value", value)) * 100
    rounded = round_half_up(p / step) * step
    return "omkring " + number(rounded) + NBSP + "pct."
