"""Django's makemessages, with two rules of this project's catalogues.

- No guessed translation: msgmerge's "fuzzy" matching would give a new text the
  translation of a similar old one, which Django never shows (it is only a hint), so
  a missing translation would look done. A new text arrives empty, to be translated.
- French plurals: the texts are written in French, so the French catalogue
  (locale/fr) translates nothing, except that a text with a plural is given its own
  two forms: without them Django would apply English's rule ("0 places"), where French
  says "0 place" (its header says plural=(n > 1)). The administration's texts are
  Django's, in English: Django's own French catalogue translates them, so they are left.
"""

import re
from pathlib import Path

from django.conf import settings
from django.core.management.commands import makemessages

FRENCH_CATALOGUE = Path("fr") / "LC_MESSAGES" / "django.po"
ADMIN_TEMPLATES = "templates/admin/"
# One entry of a catalogue: its comments, msgid, msgid_plural, then its forms, all empty.
EMPTY_PLURAL = re.compile(
    r'^(?P<head>(?:#.*\n)*)(?P<one>msgid (?:".*"\n)+)(?P<many>msgid_plural (?:".*"\n)+)'
    r'(?P<forms>(?:msgstr\[\d\] ""\n)+)(?=\n|\Z)',
    re.MULTILINE,
)


def french_plural(entry):
    head, one, many = entry["head"], entry["one"], entry["many"]
    locations = [line for line in head.splitlines() if line.startswith("#:")]
    if locations and all(
        location.startswith(ADMIN_TEMPLATES) for line in locations for location in line.split()[1:]
    ):
        return entry[0]
    singular = one.removeprefix("msgid ")
    plural = many.removeprefix("msgid_plural ")
    return f"{head}{one}{many}msgstr[0] {singular}msgstr[1] {plural}"


def fill_french_plurals(catalogue):
    catalogue.write_text(EMPTY_PLURAL.sub(french_plural, catalogue.read_text()))


class Command(makemessages.Command):
    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]

    def handle(self, *args, **options):
        super().handle(*args, **options)
        for locale_path in settings.LOCALE_PATHS:
            catalogue = Path(locale_path) / FRENCH_CATALOGUE
            if catalogue.exists():
                fill_french_plurals(catalogue)
