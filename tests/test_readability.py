"""Plain French: the pages where a family decides read easily (Kandel–Moles ≥ 60)."""

import pytest
from django.core.management import call_command

from core.readability import GOAL, Reading, measure, read, reading_of, syllables

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("word", "spoken"),
    [
        ("mentor", 2),
        ("classe", 1),  # the final mute e is not said
        ("associations", 4),
        ("l’association", 4),  # the elided article is part of the word
        ("a-t-il", 2),
        ("bénévole", 3),
        ("aide", 1),
        ("le", 1),
        ("cœur", 1),
    ],
)
def test_syllables_as_spoken(word, spoken):
    assert syllables(word) == spoken


def test_the_kandel_moles_formula():
    # 8 words, 1 sentence, 11 syllables: 207 − 1.015 × 8 − 73.6 × 11/8.
    reading = read(["Un mentor voit un jeune chaque semaine ici."])
    assert (reading.words, reading.sentences) == (8, 1)
    assert reading.score == pytest.approx(207 - 1.015 * 8 - 73.6 * reading.syllables / 8)
    assert Reading(0, 0, 0).score == 0


def test_each_block_is_a_sentence_and_only_main_is_read():
    page = (
        "<header><p>Menu du site très long</p></header><main><h1>Titre</h1>"
        "<p>Une phrase. Une autre&nbsp;!</p><script>var x = 'mot';</script></main>"
    )
    reading = reading_of(page)
    assert (reading.words, reading.sentences) == (5, 3)


def test_institutional_prose_scores_low_and_plain_words_high():
    prose = read(
        [
            "Impulsé au niveau national pour fédérer les organisations d’intérêt général qui "
            "agissent en faveur du mentorat, le Collectif Mentorat agit localement et regroupe "
            "une dizaine d’associations qui interviennent auprès des jeunes."
        ]
    )
    plain = read(["Un mentor est un adulte bénévole. Il voit le même jeune chaque semaine."])
    assert prose.score < 40 < GOAL < plain.score


def test_the_pages_a_family_goes_through_read_easily_on_average(client, seed):
    readings = measure(client)
    assert len(readings) == 7 and all(reading.words > 100 for reading in readings.values())
    average = sum(reading.score for reading in readings.values()) / len(readings)
    assert average >= GOAL, {what: round(r.score) for what, r in readings.items()}


def test_the_command_prints_each_page_and_the_average(seed, capsys):
    call_command("readability")
    output = capsys.readouterr().out
    assert "Accueil" in output and "Formulaire de demande" in output
    assert "Moyenne" in output and "(objectif 60 : atteint)" in output
