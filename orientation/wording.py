"""How the questionnaires and their results address the person who answers.

A young person answering for themself reads "Quel âge avez-vous ?", a parent "Quel âge
a votre enfant ?", a professional "Quel âge a le jeune ?". Until the person has said
who they are, the words are those of the professional: they fit anyone. Each wording is
its own text to translate (a no-break space before French's "?", as printed).
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from core.vocabularies import Respondent

# How a young person's results are ranked, said to whoever answers.
RANKING_YOU = _(
    "D’abord les associations faites pour votre situation, puis celles qui répondent au plus "
    "grand nombre de vos besoins, puis celles qui proposent les rencontres que vous "
    "préférez ; les listes d’attente en dernier."
)
RANKING_PARENT = _(
    "D’abord les associations faites pour la situation de votre enfant, puis celles qui "
    "répondent au plus grand nombre de ses besoins, puis celles qui proposent les rencontres "
    "que vous préférez ; les listes d’attente en dernier."
)
RANKING_PROFESSIONAL = _(
    "D’abord les associations faites pour la situation du jeune, puis celles qui répondent "
    "au plus grand nombre de ses besoins, puis celles qui proposent les rencontres que vous "
    "préférez ; les listes d’attente en dernier."
)


@dataclass(frozen=True)
class Address:
    age: str  # the questions
    situation: str
    needs: str
    audiences: str
    missing_age: str  # their messages
    missing_situation: str
    results: str  # "3 associations pour vous" (ngettext_lazy, counted by `count`)
    why: str  # "Pourquoi elle vous correspond :"
    ranking: str  # how the results are ranked: "D’abord les associations faites pour…"


ADDRESSES = {
    Respondent.YOUNG_PERSON: Address(
        age=_("Quel âge avez-vous ?"),
        situation=_("Où en êtes-vous ?"),
        needs=_("De quoi avez-vous besoin ?"),
        audiences=_("Êtes-vous dans une de ces situations ?"),
        missing_age=_("Indiquez votre âge."),
        missing_situation=_("Choisissez votre classe ou votre situation."),
        results=ngettext_lazy(
            "%(count)s association pour vous", "%(count)s associations pour vous", "count"
        ),
        why=_("Pourquoi elle vous correspond :"),
        ranking=RANKING_YOU,
    ),
    Respondent.PARENT: Address(
        age=_("Quel âge a votre enfant ?"),
        situation=_("Où en est votre enfant ?"),
        needs=_("De quoi votre enfant a-t-il besoin ?"),
        audiences=_("Votre enfant est-il dans une de ces situations ?"),
        missing_age=_("Indiquez l’âge de votre enfant."),
        missing_situation=_("Choisissez la classe ou la situation de votre enfant."),
        results=ngettext_lazy(
            "%(count)s association pour votre enfant",
            "%(count)s associations pour votre enfant",
            "count",
        ),
        why=_("Pourquoi elle correspond à votre enfant :"),
        ranking=RANKING_PARENT,
    ),
    Respondent.PROFESSIONAL: Address(
        age=_("Quel âge a le jeune ?"),
        situation=_("Où en est le jeune ?"),
        needs=_("De quoi le jeune a-t-il besoin ?"),
        audiences=_("Le jeune est-il dans une de ces situations ?"),
        missing_age=_("Indiquez l’âge du jeune."),
        missing_situation=_("Choisissez la classe ou la situation du jeune."),
        results=ngettext_lazy(
            "%(count)s association pour ce jeune", "%(count)s associations pour ce jeune", "count"
        ),
        why=_("Pourquoi elle correspond à ce jeune :"),
        ranking=RANKING_PROFESSIONAL,
    ),
}
# A volunteer answers for themself.
YOU = ADDRESSES[Respondent.YOUNG_PERSON]


def address(respondent):
    """The words for `respondent` (a Respondent, its value, or nothing yet)."""
    if respondent in Respondent.values:
        return ADDRESSES[Respondent(respondent)]
    return ADDRESSES[Respondent.PROFESSIONAL]
