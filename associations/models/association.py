"""An association of the Collectif: everything the brochure says of it."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import ngettext

from core.datainclusion import NETWORKS, THEMATIQUES
from core.fields import ChoiceListField
from core.french import age_range, join_words
from core.vocabularies import HoursPer, Modality, Period

from .. import schedule
from ..validators import (
    AGE_BOUNDS,
    FIRST_MENTORING_YEAR,
    validate_not_future_date,
    validate_not_future_year,
)
from .intake import IntakeFields
from .querysets import AssociationQuerySet
from .translation_review import TranslationReviewFields
from .vocabularies import (
    Audience,
    Level,
    MentorProfile,
    Need,
    PartnerType,
    Venue,
)


class Association(IntakeFields, TranslationReviewFields, models.Model):
    # Identity
    name = models.CharField("nom", max_length=120, unique=True)
    slug = models.SlugField(
        "identifiant",
        max_length=60,
        unique=True,
        help_text="Utilisé dans l’adresse de la page (…/associations/identifiant/) : "
        "ne le changez pas une fois publié.",
    )
    summary = models.CharField(
        "résumé en une phrase", max_length=240, help_text="Affiché sur les cartes de l’annuaire."
    )
    description = models.TextField(
        "présentation",
        help_text="Le texte de présentation, paragraphes séparés par une ligne vide.",
    )
    website = models.URLField("site internet", blank=True)
    logo = models.ImageField("logo", upload_to="logos/", blank=True)

    # Figures
    programme_created_year = models.PositiveSmallIntegerField(
        "année de création du programme de mentorat",
        null=True,
        blank=True,
        validators=[MinValueValidator(FIRST_MENTORING_YEAR), validate_not_future_year],
    )
    mentored_year = models.PositiveSmallIntegerField(
        "année des chiffres de jeunes mentorés",
        null=True,
        blank=True,
        validators=[MinValueValidator(FIRST_MENTORING_YEAR), validate_not_future_year],
    )
    mentored_total = models.PositiveIntegerField(
        "jeunes mentorés dans l’année (total)", null=True, blank=True
    )
    mentored_metropole = models.PositiveIntegerField(
        "dont dans la Métropole lilloise", null=True, blank=True
    )
    roubaix_capacity = models.PositiveIntegerField(
        "capacité d’accompagnement dans la Cité éducative de Roubaix",
        null=True,
        blank=True,
        help_text="Nombre de jeunes.",
    )
    roubaix_capacity_is_minimum = models.BooleanField(
        "cette capacité est un minimum",
        default=False,
        help_text="Par exemple « 200 jeunes ou plus ». Une association dont la capacité est "
        "un minimum n’est jamais montrée comme complète.",
    )
    places_taken = models.PositiveIntegerField(
        "places prises par les demandes",
        default=0,
        editable=False,
        help_text="Les demandes « prise en charge » de jeunes : tenu à jour par le site.",
    )
    places_adjustment = models.IntegerField(
        "ajustement des places occupées",
        default=0,
        help_text="Ajouté aux demandes « prise en charge » pour compter les places occupées "
        "dans la Cité éducative : par exemple +5 pour des jeunes venus par l’école, -2 pour "
        "des accompagnements terminés.",
    )

    # Who it serves
    age_min = models.PositiveSmallIntegerField(
        "âge minimum des jeunes",
        null=True,
        blank=True,
        validators=AGE_BOUNDS,
        help_text="Laisser vide si l’association ne le précise pas.",
    )
    age_max = models.PositiveSmallIntegerField(
        "âge maximum des jeunes",
        null=True,
        blank=True,
        validators=AGE_BOUNDS,
        help_text="Laisser vide si l’association ne le précise pas.",
    )
    public_description = models.TextField(
        "à qui s’adresse l’accompagnement",
        blank=True,
        help_text="En mots, comme dans la brochure (par exemple « du CP à la terminale »).",
    )
    levels = models.ManyToManyField(
        Level,
        verbose_name="niveaux et situations accompagnés",
        blank=True,
        related_name="associations",
    )
    needs = models.ManyToManyField(
        Need, verbose_name="besoins travaillés", blank=True, related_name="associations"
    )
    audiences = models.ManyToManyField(
        Audience,
        verbose_name="publics particuliers",
        blank=True,
        related_name="associations",
        through="AssociationAudience",
    )
    levels_from_partners = models.BooleanField(
        "niveaux déduits des partenaires",
        default=False,
        help_text="Cochez si l’association ne dit pas quels niveaux elle accompagne et qu’ils "
        "viennent de ses établissements partenaires. Un jeune dont l’âge est dans la tranche "
        "indiquée n’est alors jamais écarté pour son niveau\u00a0: l’orientation lui dit de "
        "vérifier.",
    )
    eligibility_notes = models.TextField(
        "autres conditions",
        blank=True,
        help_text="Conditions d’accès en mots (par exemple « jeunes réfugiés ou issus de "
        "l’immigration »).",
    )

    # Who mentors
    mentor_description = models.TextField(
        "qui sont les mentors", blank=True, help_text="En mots, comme dans la brochure."
    )
    mentor_profiles = models.ManyToManyField(
        MentorProfile,
        verbose_name="profils de mentors acceptés",
        blank=True,
        related_name="associations",
        through="AcceptedMentorProfile",
    )
    mentor_min_age = models.PositiveSmallIntegerField(
        "âge minimum des mentors",
        null=True,
        blank=True,
        validators=AGE_BOUNDS,
        help_text="Pour tous les mentors (par exemple 50 ans). Un âge propre à un profil se "
        "règle sur ce profil.",
    )
    mentor_training = models.TextField("formation des mentors", blank=True)

    # How
    duration_min_months = models.DecimalField(
        "durée minimale (mois)",
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.1"))],
        help_text="Vide s’il n’y a pas d’engagement minimum. 6 semaines = 1,5 mois.",
    )
    duration_max_months = models.DecimalField(
        "durée maximale (mois)",
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.1"))],
        help_text="Vide si la relation peut se prolonger.",
    )
    duration_text = models.CharField("durée, en mots", max_length=240, blank=True)
    # Frequency and time as the brochure says them: "1 à 2 fois par semaine", "2 h par semaine".
    meetings_min = models.PositiveSmallIntegerField(
        "rencontres (au moins)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="«\u00a01 à 4 fois par mois\u00a0»\u00a0: 1. Vide si la brochure ne le dit pas.",
    )
    meetings_max = models.PositiveSmallIntegerField(
        "rencontres (au plus)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="«\u00a01 à 4 fois par mois\u00a0»\u00a0: 4. Vide s’il n’y a pas de maximum.",
    )
    meetings_period = models.CharField("rencontres par", max_length=10, choices=Period, blank=True)
    hours = models.DecimalField(
        "heures demandées au mentor (au moins)",
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.1"))],
        help_text="«\u00a02\u00a0h par semaine\u00a0»\u00a0: 2. Vide si la brochure ne le dit pas.",
    )
    hours_period = models.CharField("heures par", max_length=10, choices=HoursPer, blank=True)
    frequency_text = models.CharField("fréquence, en mots", max_length=240, blank=True)
    in_person = models.BooleanField(Modality.IN_PERSON.words, default=True)
    remote = models.BooleanField(Modality.REMOTE.words, default=False)
    modality_text = models.CharField("modalités, en mots", max_length=240, blank=True)
    venues = models.ManyToManyField(
        Venue, verbose_name="lieux de rencontre", blank=True, related_name="associations"
    )
    modalities_details = models.TextField(
        "autres modalités",
        blank=True,
        help_text="Les autres points de la rubrique « Modalités d’accompagnement », un par ligne.",
    )

    # Partners
    partner_types = models.ManyToManyField(
        PartnerType, verbose_name="types de partenaires", blank=True, related_name="associations"
    )
    partners_text = models.TextField(
        "partenaires, en mots", blank=True, help_text="Comme dans la brochure, un par ligne."
    )

    updated_at = models.DateTimeField("mis à jour le", auto_now=True)
    show_review_items_publicly = models.BooleanField(
        "signaler au public les informations à vérifier",
        default=False,
        help_text="Si coché, les informations marquées « à vérifier » (avec la case "
        "« visible du public ») sont signalées comme telles sur la page publique, dans les "
        "résultats, la brochure, les affichettes et les données ouvertes. Décochez une fois "
        "les informations vérifiées auprès de l’association.",
    )
    verified_on = models.DateField(
        "fiche vérifiée le",
        null=True,
        blank=True,
        validators=[validate_not_future_date],
        help_text="Le jour où l’équipe ou l’association a vérifié la fiche : c’est la date de "
        "mise à jour des données ouvertes. Les fiches de la brochure portent la date de sa "
        "transcription. Vide : la date de la dernière modification.",
    )

    # How data·inclusion's exports classify it (opendata.datainclusion).
    data_inclusion_thematiques = ChoiceListField(
        "thématiques data·inclusion",
        vocabulary=THEMATIQUES,
        help_text="Aucune cochée : celles des besoins travaillés, d’après la table de "
        "correspondance de la page « Données ouvertes ». Cochées : elles les remplacent.",
    )
    data_inclusion_networks = ChoiceListField(
        "réseaux porteurs data·inclusion",
        vocabulary=NETWORKS,
        help_text="Le réseau national dont fait partie l’association, s’il est dans la "
        "liste du schéma data·inclusion (par exemple DUO for a JOB, Fondation FACE).",
    )

    objects = AssociationQuerySet.as_manager()

    class Meta:
        # "Afev" before "ANAF": names mix capitals, people read them alphabetically.
        ordering = [Lower("name")]
        indexes = [models.Index(Lower("name"), name="association_name_lower")]
        verbose_name = "association"
        verbose_name_plural = "associations"
        constraints = [
            models.CheckConstraint(
                condition=Q(age_min__isnull=True)
                | Q(age_max__isnull=True)
                | Q(age_min__lte=models.F("age_max")),
                name="association_age_range",
                violation_error_message="L’âge minimum doit être inférieur ou égal à "
                "l’âge maximum.",
            ),
            models.CheckConstraint(
                condition=Q(duration_min_months__isnull=True)
                | Q(duration_max_months__isnull=True)
                | Q(duration_min_months__lte=models.F("duration_max_months")),
                name="association_duration_range",
                violation_error_message="La durée minimale doit être inférieure ou égale à la "
                "durée maximale.",
            ),
            models.CheckConstraint(
                condition=Q(meetings_min__isnull=True)
                | Q(meetings_max__isnull=True)
                | Q(meetings_min__lte=models.F("meetings_max")),
                name="association_meetings_range",
                violation_error_message="Le nombre minimal de rencontres doit être inférieur "
                "ou égal au nombre maximal.",
            ),
            models.CheckConstraint(
                condition=Q(meetings_min__isnull=True, meetings_max__isnull=True)
                | ~Q(meetings_period=""),
                name="association_meetings_period",
                violation_error_message="Dites si les rencontres sont comptées par semaine "
                "ou par mois.",
            ),
            models.CheckConstraint(
                condition=Q(hours__isnull=True) | ~Q(hours_period=""),
                name="association_hours_period",
                violation_error_message="Dites si les heures sont comptées par rencontre, "
                "par semaine ou par mois.",
            ),
            models.CheckConstraint(
                condition=Q(mentored_total__isnull=True)
                | Q(mentored_metropole__isnull=True)
                | Q(mentored_metropole__lte=models.F("mentored_total")),
                name="association_mentored_metropole_within_total",
                violation_error_message="Les jeunes mentorés dans la Métropole ne peuvent pas "
                "dépasser le total.",
            ),
            models.CheckConstraint(
                condition=Q(in_person=True) | Q(remote=True),
                name="association_has_a_modality",
                violation_error_message="Cochez au moins une modalité : présentiel ou à distance.",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        """Save, never writing `places_taken`: its one writer is the requests app's count
        (a form loaded before a request was taken on must not put back an older figure)."""
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name != "places_taken"
            ]
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("associations:detail", kwargs={"slug": self.slug})

    def natural_key(self):
        return (self.slug,)

    def clean(self):
        super().clean()
        # Also caught by constraints: said here next to the field that is wrong.
        if self.age_min is not None and self.age_max is not None and self.age_min > self.age_max:
            raise ValidationError(
                {"age_max": "L’âge maximum doit être supérieur ou égal à l’âge minimum."}
            )

    @property
    def age_range(self):
        """The stated ages inside a sentence: "de 5 à 18 ans", "à partir de 16 ans", or ""."""
        return age_range(self.age_min, self.age_max)

    @property
    def age_range_label(self):
        """The stated ages on their own, after "Âge": "5 à 18 ans", "à partir de 16 ans"."""
        return self.age_range.removeprefix("de ")

    def offers(self, modality):
        return getattr(self, Modality(modality).field)

    def serves_age(self, age):
        """Whether `age` is within the stated range (an unstated bound is open)."""
        return (self.age_min is None or self.age_min <= age) and (
            self.age_max is None or age <= self.age_max
        )

    @property
    def states_ages(self):
        return self.age_min is not None or self.age_max is not None

    def accepted_profile(self, profile):
        """The association's terms for a mentor `profile`, or None if it does not accept it.

        Reads `acceptedmentorprofile_set` (prefetched by the orientation).
        """
        for accepted in self.acceptedmentorprofile_set.all():
            if accepted.profile_id == profile.pk:
                return accepted
        return None

    def mentor_minimum_age(self, profile):
        """The youngest a mentor of `profile` may be: for all mentors, or for that profile."""
        accepted = self.accepted_profile(profile)
        limits = [self.mentor_min_age, accepted.min_age if accepted else None]
        return max((limit for limit in limits if limit is not None), default=None)

    # Time as people say it, and per year or per month (associations.schedule).

    @property
    def frequency_label(self):
        return schedule.frequency_label(self)

    @property
    def time_label(self):
        return schedule.time_label(self)

    @property
    def yearly_meetings(self):
        return schedule.yearly_meetings(self)

    @property
    def yearly_hours(self):
        return schedule.yearly_hours(self)

    @property
    def meetings_per_month_min(self):
        return schedule.per_month(self.yearly_meetings)

    @property
    def meetings_per_month_max(self):
        return schedule.per_month(schedule.yearly_meetings(self, self.meetings_max))

    @property
    def hours_per_month_min(self):
        return schedule.per_month(self.yearly_hours)

    @property
    def modalities(self):
        return [modality for modality in Modality if self.offers(modality)]

    @property
    def modality_label(self):
        """ "En présentiel et à distance", "À distance"."""
        label = join_words(modality.words for modality in self.modalities)
        return label[:1].upper() + label[1:]

    @property
    def capacity_label(self):
        """ "30 jeunes", "200 jeunes ou plus" (a floor); "" if not said."""
        count = self.roubaix_capacity
        if count is None:
            return ""
        if self.roubaix_capacity_is_minimum:
            label = ngettext("%(count)s jeune ou plus", "%(count)s jeunes ou plus", count)
        else:
            label = ngettext("%(count)s jeune", "%(count)s jeunes", count)
        return label % {"count": count}

    @property
    def places_available(self):
        """Places left in the Cité éducative (None if unknown or a floor); needs `with_places`."""
        if self.roubaix_capacity is None or self.roubaix_capacity_is_minimum:
            return None
        return max(self.roubaix_capacity - self.places_used, 0)

    @property
    def public_review_items(self):
        """What the public sees flagged "à vérifier", when the association allows it.

        The seed shows the brochure's suspected errors (`show_review_items_publicly`);
        staff untick it once they have checked with the association. The fiche, the
        results (`with_review_flag`), the brochure, the flyers and the exports all say it
        as `ReviewItem.PUBLIC_NOTICE`. Needs `with_details`, which prefetches the items
        staff made public.
        """
        if not self.show_review_items_publicly:
            return []
        return self.prefetched_public_review_items

    @property
    def has_withheld_email(self):
        """An address staff took off the site until confirmed (reads the prefetched contacts)."""
        return any(contact.email and not contact.public_email for contact in self.contacts.all())

    @property
    def has_unconfirmed_public_email(self):
        """An address the public sees that staff have not confirmed yet (prefetched contacts)."""
        return any(c.public_email and not c.email_is_confirmed for c in self.contacts.all())

    @property
    def first_public_contact(self):
        """The first contact whose address the public sees (reads the prefetched contacts)."""
        return next((contact for contact in self.contacts.all() if contact.public_email), None)

    @property
    def website_label(self):
        """The website as people say it: `afev.org`, not `https://afev.org/`."""
        label = self.website.split("://", 1)[-1].rstrip("/")
        return label.removeprefix("www.")
