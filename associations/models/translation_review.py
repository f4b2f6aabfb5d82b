"""Whether a native speaker still has to read a record's translations, language by language.

The portal ships Arabic and English translations of the brochure's texts and of the
vocabularies (associations.shipped_translations) with their box ticked; staff untick it
once a speaker of the language has read them. A save in the admin that changes a French
text and leaves its translation as it was ticks that language's box again
(core.admin_translation): the translation may no longer say the same.
"""

from django.db import models


def review_field(code):
    """The box of language `code`: "translation_to_review_ar"."""
    return f"translation_to_review_{code}"


class TranslationReviewFields(models.Model):
    """One box per translated language (French, the source, has none)."""

    translation_to_review_ar = models.BooleanField(
        "traduction arabe à relire par un locuteur",
        default=False,
        help_text="Décochez une fois les textes arabes relus par une personne qui parle arabe.",
    )
    translation_to_review_en = models.BooleanField(
        "traduction anglaise à relire par un locuteur",
        default=False,
        help_text="Décochez une fois les textes anglais relus par une personne qui parle anglais.",
    )

    class Meta:
        abstract = True
