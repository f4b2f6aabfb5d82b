"""How the questionnaires and their results address the person who answers.

A young person answering for themself reads "Quel âge avez-vous ?", a parent "Quel âge
a votre enfant ?", a professional "Quel âge a le jeune ?". Until the person has said
who they are, the words are those of the professional: they fit anyone.
"""

from dataclasses import dataclass

from core.french import NBSP
from core.vocabularies import Respondent


@dataclass(frozen=True)
class Address:
    age: str  # the questions
    situation: str
    needs: str
    audiences: str
    missing_age: str  # their messages
    missing_situation: str
    for_whom: str  # "3 associations pour vous"
    fits: str  # "Pourquoi elle vous correspond"
    situation_of: str  # "faites pour votre situation"
    needs_of: str  # "le plus de vos besoins"


ADDRESSES = {
    Respondent.YOUNG_PERSON: Address(
        age=f"Quel âge avez-vous{NBSP}?",
        situation=f"Où en êtes-vous{NBSP}?",
        needs=f"De quoi avez-vous besoin{NBSP}?",
        audiences=f"Êtes-vous dans une de ces situations{NBSP}?",
        missing_age="Indiquez votre âge.",
        missing_situation="Choisissez votre classe ou votre situation.",
        for_whom="pour vous",
        fits="vous correspond",
        situation_of="votre situation",
        needs_of="vos besoins",
    ),
    Respondent.PARENT: Address(
        age=f"Quel âge a votre enfant{NBSP}?",
        situation=f"Où en est votre enfant{NBSP}?",
        needs=f"De quoi votre enfant a-t-il besoin{NBSP}?",
        audiences=f"Votre enfant est-il dans une de ces situations{NBSP}?",
        missing_age="Indiquez l’âge de votre enfant.",
        missing_situation="Choisissez la classe ou la situation de votre enfant.",
        for_whom="pour votre enfant",
        fits="correspond à votre enfant",
        situation_of="la situation de votre enfant",
        needs_of="ses besoins",
    ),
    Respondent.PROFESSIONAL: Address(
        age=f"Quel âge a le jeune{NBSP}?",
        situation=f"Où en est le jeune{NBSP}?",
        needs=f"De quoi le jeune a-t-il besoin{NBSP}?",
        audiences=f"Le jeune est-il dans une de ces situations{NBSP}?",
        missing_age="Indiquez l’âge du jeune.",
        missing_situation="Choisissez la classe ou la situation du jeune.",
        for_whom="pour ce jeune",
        fits="correspond à ce jeune",
        situation_of="la situation du jeune",
        needs_of="ses besoins",
    ),
}
# A volunteer answers for themself.
YOU = ADDRESSES[Respondent.YOUNG_PERSON]


def address(respondent):
    """The words for `respondent` (a Respondent, its value, or nothing yet)."""
    if respondent in Respondent.values:
        return ADDRESSES[Respondent(respondent)]
    return ADDRESSES[Respondent.PROFESSIONAL]
