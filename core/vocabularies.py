"""Vocabularies that code branches on, each spelled once: slugs, labels, bounds.

The labels are French, translated when shown (gettext_lazy) into the language of the
page: French at the unprefixed addresses, those of the open data and of print.
"""

from django.db import models
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from .french import lower_first


def in_a_sentence(label):
    return lower_first(str(label))


# A label inside a sentence, translated when shown.
in_a_sentence_lazy = lazy(in_a_sentence, str)


class Modality(models.TextChoices):
    """How mentor and young person meet; the value is the public parameter (`modalite=`)."""

    IN_PERSON = "presentiel", _("En présentiel")
    REMOTE = "distanciel", _("À distance")

    @property
    def field(self):
        """The association's boolean field that says whether it offers this modality."""
        return MODALITY_FIELDS[self]

    @property
    def words(self):
        """The modality inside a sentence: "en présentiel", "à distance"."""
        return in_a_sentence_lazy(self.label)


MODALITY_FIELDS = {Modality.IN_PERSON: "in_person", Modality.REMOTE: "remote"}


class Seeker(models.TextChoices):
    """Who fills a questionnaire, or asks to be put in touch with an association."""

    YOUNG_PERSON = "jeune", _("Jeune ou parent")
    VOLUNTEER = "benevole", _("Bénévole")


# The ages the portal speaks of (the brochure: young people of 5 to 30) and those its
# forms accept, per kind of person. A request form can be narrower: the association's.
AGES = {Seeker.YOUNG_PERSON: (5, 30), Seeker.VOLUNTEER: (14, 100)}
# Every age some form accepts, young person or volunteer.
ANY_FORM_AGE = (min(low for low, _ in AGES.values()), max(high for _, high in AGES.values()))
# Below this age, a parent's name, contact and consent are required (article 45 of the
# French data-protection law: consent to an online service is given with a parent).
PARENTAL_CONSENT_AGE = 15
# Bounds that no real age crosses, for the data staff type: they catch typing mistakes.
PLAUSIBLE_AGES = (0, 120)


class Respondent(models.TextChoices):
    """Who answers the young person's questionnaire (`qui=`): the words address them."""

    YOUNG_PERSON = "jeune", _("C’est pour moi")
    PARENT = "parent", _("C’est pour mon enfant")
    PROFESSIONAL = "professionnel", _("Je suis un professionnel qui accompagne un jeune")


# Time as people say it. Every rate is compared per year: 52 weeks, 12 months.
WEEKS_PER_YEAR = 52
MONTHS_PER_YEAR = 12


class Period(models.TextChoices):
    """The period of an association's meetings: "1 à 2 fois par semaine", "2 fois par mois"."""

    WEEK = "semaine", _("par semaine")
    MONTH = "mois", _("par mois")

    @property
    def per_year(self):
        return WEEKS_PER_YEAR if self == Period.WEEK else MONTHS_PER_YEAR


class HoursPer(models.TextChoices):
    """What a number of hours is counted for: "2 h par semaine", "3 h par mois"."""

    MEETING = "rencontre", _("par rencontre")
    WEEK = "semaine", _("par semaine")
    MONTH = "mois", _("par mois")


class Rhythm(models.TextChoices):
    """How often a would-be mentor can meet a young person (`rythme=`)."""

    MONTHLY = "1-par-mois", _("1 fois par mois")
    TWICE_MONTHLY = "2-par-mois", _("2 fois par mois")
    WEEKLY = "1-par-semaine", _("1 fois par semaine")
    MORE = "plus", _("Plus d’une fois par semaine")

    @property
    def per_year(self):
        """Meetings a year ("plus" counts as twice a week)."""
        return RHYTHMS_PER_YEAR[self]


RHYTHMS_PER_YEAR = {
    Rhythm.MONTHLY: MONTHS_PER_YEAR,
    Rhythm.TWICE_MONTHLY: 2 * MONTHS_PER_YEAR,
    Rhythm.WEEKLY: WEEKS_PER_YEAR,
    Rhythm.MORE: 2 * WEEKS_PER_YEAR,
}


class Commitment(models.TextChoices):
    """How long a would-be mentor can commit (`engagement=`), against the months asked."""

    WEEKS = "quelques-semaines", _("Quelques semaines")
    SIX_MONTHS = "6-mois", _("6 mois")
    SCHOOL_YEAR = "annee-scolaire", _("Une année scolaire")
    YEARS = "plusieurs-annees", _("Plusieurs années")

    @property
    def months(self):
        """The longest minimum duration this answer covers, in months (None: any)."""
        return COMMITMENT_MONTHS[self]


# "Quelques semaines" covers up to two months (La Cravate Solidaire asks six weeks); "une
# année scolaire" covers an engagement of a year ("1 an renouvelable"); "plusieurs années",
# any length (Télémaque asks six years).
COMMITMENT_MONTHS = {
    Commitment.WEEKS: 2,
    Commitment.SIX_MONTHS: 6,
    Commitment.SCHOOL_YEAR: 12,
    Commitment.YEARS: None,
}
