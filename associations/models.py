"""The directory of mentoring associations: everything the brochure says of them.

Staff keep this data in the admin; every public page, the map, the
orientation and the exports read it from here and hard-code no fact.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, Exists, F, Max, Min, OuterRef, Prefetch, Q, Sum
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from core.datainclusion import NETWORKS, THEMATIQUES
from core.fields import ChoiceListField
from core.french import age_range, join_words, pluriel
from core.phone import PhoneNumberField, phone_display, phone_uri
from core.vocabularies import AGES, PLAUSIBLE_AGES, HoursPer, Modality, Period, Seeker

from . import schedule

# Bounds that no real value crosses: they catch typing mistakes.
AGE_BOUNDS = [MinValueValidator(PLAUSIBLE_AGES[0]), MaxValueValidator(PLAUSIBLE_AGES[1])]
FIRST_MENTORING_YEAR = 1900


def validate_not_future_year(year):
    if year is not None and year > timezone.localdate().year:
        raise ValidationError(
            "L’année %(year)s est dans le futur.", code="future_year", params={"year": year}
        )


def validate_not_future_date(day):
    if day is not None and day > timezone.localdate():
        raise ValidationError("Cette date est dans le futur.", code="future_date")


class VocabularyQuerySet(models.QuerySet):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Vocabulary(models.Model):
    """A term that staff can add to; code and URLs know it by its stable slug."""

    name = models.CharField("libellé", max_length=120, unique=True)
    slug = models.SlugField(
        "identifiant",
        max_length=60,
        unique=True,
        help_text="Identifiant stable, utilisé dans les adresses et les exports : "
        "ne le changez pas une fois publié.",
    )
    position = models.PositiveSmallIntegerField(
        "ordre", default=0, help_text="Ordre d’affichage (les plus petits d’abord)."
    )
    explanation = models.TextField(
        "qu’est-ce que c’est\u00a0?",
        blank=True,
        help_text="Pour un mot que tout le monde ne connaît pas (QPV, REP+…)\u00a0: une ou deux "
        "phrases simples, montrées sous «\u00a0Qu’est-ce que c’est\u00a0?\u00a0» dans les "
        "questionnaires.",
    )

    objects = VocabularyQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["position", "name"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)


class Level(Vocabulary):
    """A school level or a situation of the young person (collège, recherche d'emploi…)."""

    class Meta(Vocabulary.Meta):
        verbose_name = "niveau ou situation"
        verbose_name_plural = "niveaux et situations des jeunes"


class Need(Vocabulary):
    class Meta(Vocabulary.Meta):
        verbose_name = "besoin"
        verbose_name_plural = "besoins des jeunes"


class Audience(Vocabulary):
    """A particular public stated in the brochure (réfugiés, QPV, REP/REP+…)."""

    class Meta(Vocabulary.Meta):
        verbose_name = "public particulier"
        verbose_name_plural = "publics particuliers"


class MentorProfile(Vocabulary):
    class Meta(Vocabulary.Meta):
        verbose_name = "profil de mentor"
        verbose_name_plural = "profils de mentors"


class Venue(Vocabulary):
    """Where mentor and young person meet (domicile, établissement scolaire…)."""

    class Meta(Vocabulary.Meta):
        verbose_name = "lieu de rencontre"
        verbose_name_plural = "lieux de rencontre"


class PartnerType(Vocabulary):
    class Meta(Vocabulary.Meta):
        verbose_name = "type de partenaire"
        verbose_name_plural = "types de partenaires"


class AssociationQuerySet(models.QuerySet):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)

    def with_open_review_count(self):
        return self.annotate(open_review_count=Count("review_items", distinct=True))

    def needing_review(self):
        return self.filter(review_items__isnull=False).distinct()

    def with_details(self):
        """Everything an association publishes (page, exports), in a fixed number of queries."""
        return self.prefetch_related(
            "levels",
            "needs",
            "venues",
            "partner_types",
            "contacts",
            "locations",
            Prefetch(
                "associationaudience_set",
                queryset=AssociationAudience.objects.select_related("audience").order_by(
                    "audience__position", "audience__name"
                ),
            ),
            Prefetch(
                "acceptedmentorprofile_set",
                queryset=AcceptedMentorProfile.objects.select_related("profile").order_by(
                    "profile__position", "profile__name"
                ),
            ),
            Prefetch(
                "review_items",
                queryset=ReviewItem.objects.public().order_by("section", "pk"),
                to_attr="prefetched_public_review_items",
            ),
        )

    def with_email_recipient(self):
        """`has_email_recipient`: a confirmed address receives its requests (same query)."""
        confirmed = Contact.objects.receiving_requests().filter(association=OuterRef("pk"))
        return self.annotate(has_email_recipient=Exists(confirmed))

    def with_review_flag(self):
        """`has_public_review_items`: whether `public_review_items` lists anything, in SQL.

        For lists that only say that something is to check (orientation results).
        """
        public_items = ReviewItem.objects.public().filter(association=OuterRef("pk"))
        return self.annotate(
            has_public_review_items=models.ExpressionWrapper(
                Q(Exists(public_items), show_review_items_publicly=True),
                output_field=models.BooleanField(),
            )
        )

    def with_vocabularies(self):
        """Everything a card or a page shows, in a fixed number of queries."""
        return self.prefetch_related(
            "levels", "needs", "mentor_profiles", "venues", "partner_types", "audiences"
        )

    def totals(self):
        """Figures for the whole directory: how many associations, how many places.

        `capacity_is_minimum` when a capacity is a floor ("200 jeunes ou plus") or unknown:
        the places are then "au moins 432 places" (`capacity_label`), as the brochure says.
        """
        totals = self.aggregate(
            associations=Count("pk"),
            capacity=Sum("roubaix_capacity", default=0),
            open_ended=Count(
                "pk", filter=Q(roubaix_capacity_is_minimum=True) | Q(roubaix_capacity=None)
            ),
        )
        totals["capacity_is_minimum"] = totals.pop("open_ended") > 0
        places = pluriel(totals["capacity"], "place")
        totals["capacity_label"] = f"au moins {places}" if totals["capacity_is_minimum"] else places
        return totals

    def offering(self, modality):
        """Associations that offer this modality (a `Modality` or its value)."""
        return self.filter(**{Modality(modality).field: True})

    def serving_age(self, age):
        """Associations whose stated age range includes `age` (an unstated bound is open)."""
        return self.filter(
            Q(age_min__isnull=True) | Q(age_min__lte=age),
            Q(age_max__isnull=True) | Q(age_max__gte=age),
        )

    def young_age_bounds(self):
        """(lowest, highest) age a young person's questionnaire or request accepts.

        The brochure's range (5 to 30, the portal's wording) widened to every range the
        associations state (DUO for a JOB: up to 33), in one aggregate.
        """
        low, high = AGES[Seeker.YOUNG_PERSON]
        stated = self.order_by().aggregate(low=Min("age_min"), high=Max("age_max"))
        return (
            low if stated["low"] is None else min(low, stated["low"]),
            high if stated["high"] is None else max(high, stated["high"]),
        )

    def with_yearly_time(self):
        """`meetings_asked` and `hours_asked`: the least an association asks of a mentor in
        a year (None when it does not say), in SQL (associations.schedule)."""
        return schedule.with_yearly_time(self)

    def with_places(self):
        """`places_used` and `has_waiting_list` on each association, in the same query.

        Places used in the Cité éducative: the young people's requests that the
        association took on (`places_taken`, kept up to date by the requests app),
        plus the adjustment staff set by hand. Full (waiting list) when they reach a
        capacity that is not a floor: an unknown capacity, or "200 or more", never is.
        """
        return self.annotate(places_used=F("places_taken") + F("places_adjustment")).annotate(
            has_waiting_list=models.ExpressionWrapper(
                Q(
                    roubaix_capacity__isnull=False,
                    roubaix_capacity_is_minimum=False,
                    places_used__gte=F("roubaix_capacity"),
                ),
                output_field=models.BooleanField(),
            )
        )


class Association(models.Model):
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
        if self.roubaix_capacity is None:
            return ""
        suffix = " ou plus" if self.roubaix_capacity_is_minimum else ""
        unit = "jeune" if self.roubaix_capacity == 1 else "jeunes"
        return f"{self.roubaix_capacity} {unit}{suffix}"

    @property
    def places_available(self):
        """Places left in the Cité éducative (None if unknown or a floor); needs `with_places`."""
        if self.roubaix_capacity is None or self.roubaix_capacity_is_minimum:
            return None
        return max(self.roubaix_capacity - self.places_used, 0)

    @property
    def places_label(self):
        """« Places disponibles », « Liste d’attente » or nothing; needs `with_places`."""
        if self.roubaix_capacity is None:
            return ""
        return "Liste d’attente" if self.has_waiting_list else "Places disponibles"

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
    def website_label(self):
        """The website as people say it: `afev.org`, not `https://afev.org/`."""
        label = self.website.split("://", 1)[-1].rstrip("/")
        return label.removeprefix("www.")


class AssociationAudience(models.Model):
    association = models.ForeignKey(Association, on_delete=models.CASCADE)
    audience = models.ForeignKey(Audience, on_delete=models.PROTECT, verbose_name="public")
    is_required = models.BooleanField(
        "réservé à ce public",
        default=False,
        help_text="Coché : l’association n’accompagne que ce public. Sinon, il est prioritaire.",
    )

    class Meta:
        verbose_name = "public particulier"
        verbose_name_plural = "publics particuliers"
        constraints = [
            models.UniqueConstraint(
                fields=["association", "audience"], name="unique_association_audience"
            )
        ]

    def __str__(self):
        return str(self.audience)


class AcceptedMentorProfile(models.Model):
    association = models.ForeignKey(Association, on_delete=models.CASCADE)
    profile = models.ForeignKey(MentorProfile, on_delete=models.PROTECT, verbose_name="profil")
    min_age = models.PositiveSmallIntegerField(
        "âge minimum pour ce profil", null=True, blank=True, validators=AGE_BOUNDS
    )
    requirements = models.CharField(
        "conditions pour ce profil",
        max_length=240,
        blank=True,
        help_text="Par exemple « au moins 2 ans d’expérience ».",
    )

    class Meta:
        verbose_name = "profil de mentor accepté"
        verbose_name_plural = "profils de mentors acceptés"
        constraints = [
            models.UniqueConstraint(
                fields=["association", "profile"], name="unique_association_mentor_profile"
            )
        ]

    def __str__(self):
        return str(self.profile)


class ContactQuerySet(models.QuerySet):
    def receiving_requests(self):
        """Addresses staff have confirmed: the only ones that receive requests by e-mail."""
        return self.exclude(email="").filter(email_confirmed_at__isnull=False)


class Contact(models.Model):
    """A way to reach an association.

    An e-mail address receives the requests of the portal only once staff have
    confirmed it with the association (`email_confirmed_at`, `email_confirmed_by`):
    the brochure's addresses are not, and one of them was copied from another
    association. Until then the public page says it is to be checked, or does not
    show it at all when staff have withheld it.
    """

    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="contacts")
    person_name = models.CharField("nom de la personne", max_length=120, blank=True)
    role = models.CharField("fonction", max_length=120, blank=True)
    email = models.EmailField("courriel", blank=True)
    phone = PhoneNumberField("téléphone", blank=True)
    position = models.PositiveSmallIntegerField("ordre", default=0)
    email_confirmed_at = models.DateTimeField("courriel confirmé le", null=True, blank=True)
    email_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="courriel confirmé par",
    )
    email_withheld = models.BooleanField(
        "courriel retiré du site",
        default=False,
        help_text="Une adresse douteuse (recopiée d’une autre association…) n’est pas "
        "montrée au public tant qu’elle n’est pas confirmée.",
    )

    objects = ContactQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "contact"
        verbose_name_plural = "contacts"
        constraints = [
            models.CheckConstraint(
                condition=~Q(email="") | ~Q(phone=""),
                name="contact_has_email_or_phone",
                violation_error_message="Indiquez au moins un courriel ou un téléphone.",
            )
        ]

    def __str__(self):
        return self.person_name or self.email or self.phone_display

    @property
    def email_is_confirmed(self):
        return bool(self.email) and self.email_confirmed_at is not None

    @property
    def public_email(self):
        """The address the public sees: confirmed, or to be checked unless withheld."""
        if self.email_is_confirmed or not self.email_withheld:
            return self.email
        return ""

    @property
    def is_shown(self):
        """Anything to show the public: a name, a phone number or an address."""
        return bool(self.person_name or self.phone or self.public_email)

    def confirm_email(self, by):
        """Staff confirmed the address with the association: it may receive requests."""
        self.email_confirmed_at = timezone.now()
        self.email_confirmed_by = by

    def unconfirm_email(self):
        self.email_confirmed_at = None
        self.email_confirmed_by = None

    @property
    def phone_display(self):
        return phone_display(self.phone)

    @property
    def phone_uri(self):
        return phone_uri(self.phone)


class LocationQuerySet(models.QuerySet):
    def on_map(self):
        return self.filter(latitude__isnull=False, longitude__isnull=False)


class Location(models.Model):
    """A place where the association works, shown on the map."""

    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="locations")
    label = models.CharField("nom du lieu", max_length=160)
    address = models.CharField("adresse", max_length=240, blank=True)
    postcode = models.CharField("code postal", max_length=5, blank=True)
    city = models.CharField("commune", max_length=80, default="Roubaix")
    latitude = models.DecimalField(
        "latitude",
        max_digits=8,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        "longitude",
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    is_approximate = models.BooleanField(
        "emplacement approximatif",
        default=True,
        help_text="Coché tant que le point n’a pas été placé sur l’adresse exacte.",
    )

    objects = LocationQuerySet.as_manager()

    class Meta:
        ordering = [Lower("association__name"), "label"]
        verbose_name = "lieu"
        verbose_name_plural = "lieux"
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="location_latitude_range",
                violation_error_message="La latitude doit être comprise entre -90 et 90.",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="location_longitude_range",
                violation_error_message="La longitude doit être comprise entre -180 et 180.",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="location_coordinates_together",
                violation_error_message="Indiquez la latitude et la longitude, ou aucune des deux.",
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def full_address(self):
        return ", ".join(
            part for part in [self.address, f"{self.postcode} {self.city}".strip()] if part
        )


class ReviewItemQuerySet(models.QuerySet):
    def public(self):
        """The items staff let the public see (if the association shows its review items)."""
        return self.filter(is_public=True)


class ReviewItem(models.Model):
    """A fact that staff must confirm ("à vérifier"), with why."""

    # How the public is told, in plain words.
    PUBLIC_NOTICE = "Information à vérifier auprès de l’association"

    class Section(models.TextChoices):
        IDENTITY = "identite", "Identité"
        FIGURES = "chiffres", "Chiffres"
        PUBLIC = "public", "Public accompagné"
        MENTORS = "mentors", "Mentors"
        MODALITIES = "modalites", "Modalités"
        PARTNERS = "partenaires", "Partenaires"
        CONTACTS = "contacts", "Contacts"
        LOCATIONS = "lieux", "Lieux"

    association = models.ForeignKey(
        Association, on_delete=models.CASCADE, related_name="review_items"
    )
    section = models.CharField("rubrique", max_length=20, choices=Section)
    note = models.TextField("ce qu’il faut vérifier, et pourquoi")
    is_public = models.BooleanField(
        "visible du public",
        default=True,
        help_text="Signalé sur la page publique si l’association le permet.",
    )
    created_at = models.DateTimeField("signalé le", default=timezone.now)

    objects = ReviewItemQuerySet.as_manager()

    class Meta:
        ordering = [Lower("association__name"), "section", "pk"]
        verbose_name = "information à vérifier"
        verbose_name_plural = "informations à vérifier"

    def __str__(self):
        return f"{self.association} — {self.get_section_display()}"


class CollectiveQuerySet(models.QuerySet):
    def load(self):
        """The Collectif's single record (created empty if staff have not filled it yet)."""
        collective, _ = self.get_or_create(pk=1)
        return collective


class Collective(models.Model):
    """What the Collectif Mentorat says of itself and of mentoring: the home page's copy."""

    name = models.CharField("nom", max_length=120, default="Collectif Mentorat")
    presentation = models.TextField("présentation du Collectif", blank=True)
    missions = models.TextField("missions", blank=True, help_text="Une mission par ligne.")
    national_figure = models.CharField(
        "chiffre national",
        max_length=240,
        blank=True,
        help_text="Par exemple « En 2022, … 150 000 jeunes … ».",
    )
    national_plan = models.TextField("le plan « 1 jeune, 1 mentor »", blank=True)
    national_plan_url = models.URLField("site du plan national", blank=True)
    local_presentation = models.TextField("le Collectif à Roubaix", blank=True)
    territory_presentation = models.TextField(
        "les associations sur le territoire", blank=True, help_text="Présente la carte."
    )
    mentoring_definition = models.TextField("définition du mentorat", blank=True)
    who_can_be_mentored = models.TextField("quels jeunes peuvent être accompagnés", blank=True)
    who_can_mentor = models.TextField("qui peut être mentor", blank=True)
    mentor_profiles_text = models.CharField(
        "profils de mentors (en mots)",
        max_length=240,
        blank=True,
        help_text="Séparés par des virgules.",
    )
    mentor_qualities = models.CharField(
        "qualités du mentor", max_length=240, blank=True, help_text="Séparées par des virgules."
    )
    impact_title = models.CharField("titre des chiffres d’impact", max_length=160, blank=True)
    impact_source = models.CharField("source des chiffres d’impact", max_length=240, blank=True)
    cite_presentation = models.TextField("la Cité éducative de Roubaix", blank=True)
    cite_priorities_intro = models.TextField("avant les priorités", blank=True)
    cite_priorities = models.TextField(
        "priorités de la Cité éducative",
        blank=True,
        help_text="Une priorité par paragraphe : « Titre : texte ».",
    )
    contact_email = models.EmailField("courriel de contact", blank=True)
    contact_phone = PhoneNumberField(
        "téléphone de contact",
        blank=True,
        help_text="Montré aux familles que l’orientation ne sait pas guider.",
    )
    updated_at = models.DateTimeField("mis à jour le", auto_now=True)

    objects = CollectiveQuerySet.as_manager()

    class Meta:
        verbose_name = "Collectif Mentorat (page d’accueil)"
        verbose_name_plural = "Collectif Mentorat (page d’accueil)"
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="collective_is_single")]

    def __str__(self):
        return self.name

    @property
    def contact_phone_display(self):
        return phone_display(self.contact_phone)

    @property
    def contact_phone_uri(self):
        return phone_uri(self.contact_phone)

    @staticmethod
    def _lines(text):
        return [line.strip() for line in text.splitlines() if line.strip()]

    @property
    def mission_list(self):
        return self._lines(self.missions)

    @property
    def cite_priority_list(self):
        """Priorities as (title, text) pairs."""
        priorities = []
        for paragraph in self._lines(self.cite_priorities):
            title, _, text = paragraph.partition(" : ")
            priorities.append((title, text) if text else ("", title))
        return priorities

    @property
    def mentor_profile_list(self):
        return [item.strip() for item in self.mentor_profiles_text.split(",") if item.strip()]

    @property
    def mentor_quality_list(self):
        return [item.strip() for item in self.mentor_qualities.split(",") if item.strip()]


class ImpactFigure(models.Model):
    collective = models.ForeignKey(
        Collective, on_delete=models.CASCADE, related_name="impact_figures", default=1
    )
    percentage = models.PositiveSmallIntegerField(
        "pourcentage", validators=[MaxValueValidator(100)]
    )
    label = models.CharField("ce que dit le chiffre", max_length=240)
    position = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "chiffre d’impact"
        verbose_name_plural = "chiffres d’impact"
        constraints = [
            models.CheckConstraint(
                condition=Q(percentage__lte=100), name="impact_figure_percentage_range"
            )
        ]

    def __str__(self):
        return f"{self.percentage} % {self.label}"


class Testimonial(models.Model):
    collective = models.ForeignKey(
        Collective, on_delete=models.CASCADE, related_name="testimonials", default=1
    )
    quote = models.TextField("témoignage")
    author = models.CharField("prénom", max_length=80)
    author_description = models.CharField("qui est-ce", max_length=160, blank=True)
    position = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "témoignage"
        verbose_name_plural = "témoignages"

    def __str__(self):
        return f"{self.author}, {self.author_description}"
