"""The vocabularies staff can extend: levels, needs, publics, mentor profiles, venues…"""

from django.db import models

from .translation_review import TranslationReviewFields


class VocabularyQuerySet(models.QuerySet):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Vocabulary(TranslationReviewFields, models.Model):
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
