"""Typography and wording helpers: lists, numbers, ranges, plurals.

French first (the site's language, its print and its open data): every helper writes
French as French print does. In the interface's other languages (settings.LANGUAGES),
the words come from the catalogues (a conjunction, "ans") and the signs from a rule
per language (the decimal mark, the colon): Arabic and English never get a French
no-break space before their colon. Arabic keeps Western digits, as the site's forms
and phone numbers do, with the French marks of Maghreb print ("8,7", "31 125").
"""

from decimal import Decimal

from django.utils import dateformat, formats, timezone
from django.utils.translation import get_language, gettext, pgettext, pgettext_lazy

from .languages import FRENCH

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

# What a list ends with: its last two items, "collège et lycée" (Arabic joins "و" to the
# word that follows it). The key is the French conjunction the callers name.
CONJUNCTIONS = {
    "et": pgettext_lazy("listing", "%(first)s et %(last)s"),
    "ou": pgettext_lazy("listing", "%(first)s ou %(last)s"),
    "ni": pgettext_lazy("listing", "%(first)s ni %(last)s"),
}
# The signs that are no words, per language (French when the language has no rule).
DECIMAL_MARKS = {"en": "."}  # 8,7 (French and Arabic) or 8.7
THOUSANDS_SEPARATORS = {"en": ","}  # 31 125 or 31,125
COLONS = {FRENCH: f"{NBSP}: "}  # "Aide pour : …" in French, "Help with: …" elsewhere


def language():
    """The active language's code, "fr" when none is active (a command, the worker)."""
    return (get_language() or FRENCH).split("-")[0]


def lower_first(text):
    """A name inside a sentence: "Collège" → "collège", but "REP+" and "DUO" keep their capitals."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


def join_words(words, last="et"):
    """ "a, b et c" ("ou" with last="ou")."""
    words = [str(word) for word in words]
    if len(words) < 2:
        return "".join(words)
    separator = pgettext("listing", ", ")
    return CONJUNCTIONS[last] % {"first": separator.join(words[:-1]), "last": words[-1]}


def listing(names, last="et"):
    """Names from the vocabularies, as the end of a sentence: "collège et lycée"."""
    return join_words((lower_first(name) for name in names), last)


def number(value):
    """Decimal("8.7") → "8,7" ("8.7" in English), Decimal("72.0") → "72"."""
    return f"{Decimal(value).normalize():f}".replace(".", DECIMAL_MARKS.get(language(), ","))


def sentence(*parts):
    """Typeset a reason: "Aide pour", "la confiance en soi" → "Aide pour : la confiance en soi"."""
    return COLONS.get(language(), ": ").join(str(part) for part in parts)


def is_plural(count):
    """French puts 0 and 1 in the singular ("0 association"), unlike English."""
    return abs(count) >= 2


def pluriel(count, singular, plural=None):
    """ "1 jeune", "3 jeunes", "0 jeune": French words (the staff's pages). A word that is
    translated goes through ngettext, which knows each language's plurals."""
    word = (plural or singular + "s") if is_plural(count) else singular
    return f"{number(count)}{NBSP}{word}"


def age_range(low, high):
    """An age range after "les jeunes": "de 5 à 18 ans", "à partir de 16 ans", "" if unstated."""
    if low is not None and high is not None:
        return gettext("de %(low)s à %(high)s ans") % {"low": low, "high": high}
    if low is not None:
        return gettext("à partir de %(low)s ans") % {"low": low}
    if high is not None:
        return gettext("jusqu’à %(high)s ans") % {"high": high}
    return ""


def date_and_time(value):
    """ "1er décembre 2026 à 10 h 42", in the site's time zone."""
    local = timezone.localtime(value)
    day = "1er" if local.day == 1 else str(local.day)
    return f"{day} {dateformat.format(local, f'F Y à G{NBSP}\\h{NBSP}i')}"


def thousands(value):
    """31125 → "31 125", with the thin non-breaking space French print puts between thousands
    (Arabic too; "31,125" in English)."""
    return f"{int(value):,}".replace(",", THOUSANDS_SEPARATORS.get(language(), NNBSP))


def long_date(day):
    """ "1er décembre 2026", "26 novembre 2026": French writes the first day as an ordinal.
    Other languages: "1 December 2026", with Django's names of the months."""
    if language() != FRENCH:
        return formats.date_format(day, "j F Y")
    number = "1er" if day.day == 1 else str(day.day)
    return f"{number} {MONTHS[day.month - 1]} {day.year}"
