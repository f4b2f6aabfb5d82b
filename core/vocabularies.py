"""Vocabularies that code branches on, each spelled once: slugs, labels, bounds."""

from django.db import models


class Modality(models.TextChoices):
    """How mentor and young person meet; the value is the public parameter (`modalite=`)."""

    IN_PERSON = "presentiel", "En présentiel"
    REMOTE = "distanciel", "À distance"

    @property
    def field(self):
        """The association's boolean field that says whether it offers this modality."""
        return MODALITY_FIELDS[self]

    @property
    def words(self):
        """The modality inside a sentence: "en présentiel", "à distance"."""
        return self.label[:1].lower() + self.label[1:]


MODALITY_FIELDS = {Modality.IN_PERSON: "in_person", Modality.REMOTE: "remote"}


class Seeker(models.TextChoices):
    """Who fills a questionnaire, or asks to be put in touch with an association."""

    YOUNG_PERSON = "jeune", "Jeune ou parent"
    VOLUNTEER = "benevole", "Bénévole"


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

    YOUNG_PERSON = "jeune", "C’est pour moi"
    PARENT = "parent", "C’est pour mon enfant"
    PROFESSIONAL = "professionnel", "Je suis un professionnel qui accompagne un jeune"


# Time as people say it. Every rate is compared per year: 52 weeks, 12 months.
WEEKS_PER_YEAR = 52
MONTHS_PER_YEAR = 12


class Period(models.TextChoices):
    """The period of an association's meetings: "1 à 2 fois par semaine", "2 fois par mois"."""

    WEEK = "semaine", "par semaine"
    MONTH = "mois", "par mois"

    @property
    def per_year(self):
        return WEEKS_PER_YEAR if self == Period.WEEK else MONTHS_PER_YEAR


class HoursPer(models.TextChoices):
    """What a number of hours is counted for: "2 h par semaine", "3 h par mois"."""

    MEETING = "rencontre", "par rencontre"
    WEEK = "semaine", "par semaine"
    MONTH = "mois", "par mois"


class Rhythm(models.TextChoices):
    """How often a would-be mentor can meet a young person (`rythme=`)."""

    MONTHLY = "1-par-mois", "1 fois par mois"
    TWICE_MONTHLY = "2-par-mois", "2 fois par mois"
    WEEKLY = "1-par-semaine", "1 fois par semaine"
    MORE = "plus", "Plus d’une fois par semaine"

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

    WEEKS = "quelques-semaines", "Quelques semaines"
    SIX_MONTHS = "6-mois", "6 mois"
    SCHOOL_YEAR = "annee-scolaire", "Une année scolaire"
    YEARS = "plusieurs-annees", "Plusieurs années"

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
