"""The Collectif Mentorat's own texts and figures: the home page's copy."""

from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q

from core.phone import PhoneNumberField, phone_display, phone_uri


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
