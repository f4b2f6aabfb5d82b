"""What an association says of itself: whether it takes new requests, with the date,
and when it last checked its fiche (`associations.fiche_check`).

Whether it takes new requests: as it or staff say it, with the date.

Said by staff in the admin, or by the association itself (its answer « complet » to
a request proposes it). The date changes by itself whenever the status does. The
public fiche shows it; the orientation ranks and words the associations by it, as it
does for a waiting list of full places (`AssociationQuerySet.with_places`).
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from core.french import long_date


class Intake(models.TextChoices):
    OPEN = "accueille", _("Accueille de nouveaux jeunes")
    WAITING_LIST = "liste_attente", _("Liste d’attente")
    CLOSED = "ferme", _("Ne prend pas de demande en ce moment")


WAITING_WEEKS = (1, 52)


class IntakeFields(models.Model):
    """The fields and words of an association's intake status (mixed into Association)."""

    intake = models.CharField(
        "accueil de nouvelles demandes",
        max_length=20,
        choices=Intake,
        blank=True,
        help_text="Laissé vide : les places disponibles, d’après la capacité, le disent.",
    )
    intake_waiting_weeks = models.PositiveSmallIntegerField(
        "attente, en semaines (environ)",
        null=True,
        blank=True,
        validators=[MinValueValidator(WAITING_WEEKS[0]), MaxValueValidator(WAITING_WEEKS[1])],
        help_text="Pour une liste d’attente.",
    )
    intake_set_on = models.DateField(
        "accueil indiqué le",
        null=True,
        blank=True,
        editable=False,
        help_text="Mis à jour à chaque changement de l’accueil.",
    )
    intake_set_by_association = models.BooleanField(
        "accueil indiqué par l’association", default=False, editable=False
    )
    # The association's monthly check of its own fiche (`associations.fiche_check`).
    checked_by_association_on = models.DateField(
        "fiche vérifiée par l’association le", null=True, blank=True, editable=False
    )
    fiche_check_sent_on = models.DateField(
        "lien de vérification envoyé le", null=True, blank=True, editable=False
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        """Save; a changed intake status is dated today (and said by staff, unless
        `set_intake` says the association said it)."""
        if self._intake_state() != getattr(self, "_loaded_intake", (None, None)) and (
            self.intake or self.intake_set_on
        ):
            self.intake_set_on = timezone.localdate()
            self.intake_set_by_association = getattr(self, "_intake_by_association", False)
        super().save(*args, **kwargs)
        self._loaded_intake = self._intake_state()
        self._intake_by_association = False

    @classmethod
    def from_db(cls, db, field_names, values, *args, **kwargs):
        instance = super().from_db(db, field_names, values, *args, **kwargs)
        instance._loaded_intake = instance._intake_state()
        return instance

    def _intake_state(self):
        return (self.__dict__.get("intake"), self.__dict__.get("intake_waiting_weeks"))

    def set_intake(self, intake, *, weeks=None, by_association=False):
        self.intake = intake
        self.intake_waiting_weeks = weeks if intake == Intake.WAITING_LIST else None
        self._intake_by_association = by_association
        self.save()

    @property
    def takes_no_request(self):
        return self.intake == Intake.CLOSED

    @property
    def intake_label(self):
        """« Liste d’attente (environ 6 semaines) », or the status's label; "" if not said."""
        if not self.intake:
            return ""
        if self.intake == Intake.WAITING_LIST and self.intake_waiting_weeks:
            weeks = self.intake_waiting_weeks
            # (a no-break space before "semaine", written as itself: gettext reads no escapes)
            label = ngettext(
                "Liste d’attente (environ %(weeks)s semaine)",
                "Liste d’attente (environ %(weeks)s semaines)",
                weeks,
            )
            return label % {"weeks": weeks}
        return str(Intake(self.intake).label)

    @property
    def places_label(self):
        """The intake said, else « Places disponibles », « Liste d’attente » or nothing;
        needs `with_places`."""
        if self.intake or self.roubaix_capacity is None:
            return self.intake_label
        return (
            gettext("Liste d’attente") if self.has_waiting_list else gettext("Places disponibles")
        )

    @property
    def intake_date(self):
        return long_date(self.intake_set_on) if self.intake_set_on else ""
