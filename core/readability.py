"""How easy the French interface is to read: Flesch reading ease for French (Kandel–Moles).

    score = 207 − 1.015 × (words / sentences) − 73.6 × (syllables / words)

60 and more reads as "plain"; the brochure's institutional prose is around 20. The
text measured is what a visitor reads in the page's `<main>`: each block (a
paragraph, a list item, a label, a button) is at least one sentence, as a reader
takes it. Syllables are counted as spoken French has them: groups of vowels, a
final mute "e" (or "es") not counted when the word has another vowel.

`manage.py readability` prints the score of the pages a family goes through
(`make readability`); tests/test_readability.py keeps their average at 60 or more.
"""

import html
import re
from dataclasses import dataclass

from django.urls import reverse
from django.utils import translation

from .languages import FRENCH

BLOCKS = re.compile(
    r"</?(p|li|h[1-6]|label|legend|button|summary|dt|dd|td|th|caption|figcaption|"
    r"blockquote|div|section|nav|ol|ul|fieldset|option|br)\b[^>]*>",
    re.I,
)
SENTENCE_END = re.compile(r"[.!?…]+(?=\s|$)")
# Words: letters, with the elided article or pronoun joined to the word it goes with.
WORD = re.compile(r"[^\W\d_]+(?:[’'-][^\W\d_]+)*")
VOWELS = re.compile(r"[aeiouyàâäéèêëîïôöùûüÿœæ]+")
GOAL = 60


@dataclass(frozen=True)
class Reading:
    words: int
    sentences: int
    syllables: int

    @property
    def score(self):
        if not self.words:
            return 0.0
        return 207 - 1.015 * (self.words / self.sentences) - 73.6 * (self.syllables / self.words)


def syllables(word):
    """Spoken syllables of a French word ("l’association", "a-t-il" whole): vowel
    groups, a final mute e left out; an elided "l’" or "d’" is part of the next one."""
    count = 0
    for part in re.split(r"[’'-]", word.lower()):
        groups = len(VOWELS.findall(part))
        if groups > 1 and re.search(r"[^aeiouyéèêë]es?$", part):
            groups -= 1
        count += groups
    return max(count, 1)


def main_text(page):
    """The blocks of text inside `<main>`, scripts and styles left out."""
    start, end = page.find("<main"), page.rfind("</main>")
    if start != -1 and end != -1:
        page = page[start:end]
    page = re.sub(r"<(script|style|template)[^>]*>.*?</\1>", " ", page, flags=re.S | re.I)
    blocks = BLOCKS.sub("\n", page)
    blocks = re.sub(r"<[^>]+>", "", blocks)
    return [" ".join(html.unescape(block).split()) for block in blocks.split("\n")]


def read(blocks):
    words = sentences = spoken = 0
    for block in blocks:
        found = WORD.findall(block)
        if not found:
            continue
        words += len(found)
        spoken += sum(syllables(word) for word in found)
        sentences += max(len(SENTENCE_END.findall(block)), 1)
    return Reading(words, sentences, spoken)


def reading_of(page):
    return read(main_text(page))


def pages():
    """(what, address) of the pages where a family or a volunteer decides: the French
    ones (unprefixed), whatever language is active, since the measure is French's."""
    with translation.override(FRENCH):
        return french_pages()


def french_pages():
    young = "qui=parent&age=12&situation=college&envoi=1"
    volunteer = (
        "age=40&situation=salarie&rythme=1-par-semaine&heures=2&heures_par=rencontre"
        "&engagement=annee-scolaire&envoi=1"
    )
    return [
        ("Accueil", reverse("associations:home")),
        ("Questionnaire du jeune", reverse("orientation:young")),
        ("Résultats du jeune", f"{reverse('orientation:young')}?{young}"),
        ("Questionnaire du bénévole", reverse("orientation:volunteer")),
        ("Résultats du bénévole", f"{reverse('orientation:volunteer')}?{volunteer}"),
        ("Formulaire de demande", reverse("referrals:young", args=["afev"])),
        ("Formulaire du bénévole", reverse("referrals:volunteer", args=["afev"])),
    ]


def measure(client):
    """{what: Reading} of each page, read through `client` (Django's test client), which
    sends no language cookie: the unprefixed addresses are served in French."""
    return {what: reading_of(client.get(url).content.decode()) for what, url in pages()}
