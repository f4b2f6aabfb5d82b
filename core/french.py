"""French typography and wording helpers: lists, numbers, ranges, plurals."""

from decimal import Decimal

from django.utils import dateformat, timezone

NBSP = "\u00a0"  # before « : », « ; », « ? », « ! » and between a number and its unit
# The thin one of print: between thousands (31 125), before « ; », « ? », « ! » and « % ».
NNBSP = "\u202f"
MONTHS = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]


def lower_first(text):
    """A name inside a sentence: "Collège" → "collège", but "REP+" and "DUO" keep their capitals."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


def join_words(words, last="et"):
    """ "a, b et c" ("ou" with last="ou")."""
    words = list(words)
    if len(words) < 2:
        return "".join(words)
    return f"{', '.join(words[:-1])} {last} {words[-1]}"


def listing(names, last="et"):
    """Names from the vocabularies, as the end of a sentence: "collège et lycée"."""
    return join_words((lower_first(name) for name in names), last)


def number(value):
    """Decimal("8.7") → "8,7", Decimal("72.0") → "72"."""
    return f"{Decimal(value).normalize():f}".replace(".", ",")


def sentence(*parts):
    """Typeset a reason: "Aide pour", "la confiance en soi" → "Aide pour : la confiance en soi"."""
    return f"{NBSP}: ".join(parts)


def is_plural(count):
    """French puts 0 and 1 in the singular ("0 association"), unlike English."""
    return abs(count) >= 2


def pluriel(count, singular, plural=None):
    """ "1 jeune", "3 jeunes", "0 jeune"."""
    word = (plural or singular + "s") if is_plural(count) else singular
    return f"{number(count)}{NBSP}{word}"


def age_range(low, high):
    """An age range after "les jeunes": "de 5 à 18 ans", "à partir de 16 ans", "" if unstated."""
    if low is not None and high is not None:
        return f"de {low} à {high}{NBSP}ans"
    if low is not None:
        return f"à partir de {low}{NBSP}ans"
    if high is not None:
        return f"jusqu’à {high}{NBSP}ans"
    return ""


def date_and_time(value):
    """ "1er décembre 2026 à 10 h 42", in the site's time zone."""
    local = timezone.localtime(value)
    day = "1er" if local.day == 1 else str(local.day)
    return f"{day} {dateformat.format(local, f'F Y à G{NBSP}\\h{NBSP}i')}"


def thousands(value):
    """31125 → "31 125", with the thin non-breaking space French print puts between thousands."""
    return f"{int(value):,}".replace(",", NNBSP)


def long_date(day):
    """ "1er décembre 2026", "26 novembre 2026": French writes the first day as an ordinal."""
    number = "1er" if day.day == 1 else str(day.day)
    return f"{number} {MONTHS[day.month - 1]} {day.year}"
