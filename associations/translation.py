"""The texts a family or a volunteer reads, in every language of settings.LANGUAGES.

django-modeltranslation gives each field here a column per language (`summary_fr`,
`summary_ar`, `summary_en`); `association.summary` reads the active language's, or the
French when it is empty. Pages say which text is still in French with the `translated`
template tags (core/templatetags/translated.py). Names, addresses, figures and the
partners' own names stay as they are.
"""

from modeltranslation.translator import TranslationOptions, register

from .models import Association, Audience, Level, MentorProfile, Need, PartnerType, Venue

# What the association page, the directory's cards and the orientation's results show.
ASSOCIATION_TEXTS = (
    "summary",
    "description",
    "public_description",
    "eligibility_notes",
    "mentor_description",
    "mentor_training",
    "duration_text",
    "frequency_text",
    "modality_text",
    "modalities_details",
)
# A term's label, and the plain words the questionnaires show under « Qu’est-ce que c’est ? ».
VOCABULARY_TEXTS = ("name", "explanation")


@register(Association)
class AssociationTranslation(TranslationOptions):
    fields = ASSOCIATION_TEXTS


@register([Level, Need, Audience, MentorProfile, Venue, PartnerType])
class VocabularyTranslation(TranslationOptions):
    fields = VOCABULARY_TEXTS
