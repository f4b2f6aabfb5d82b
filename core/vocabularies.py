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
