"""« En bref » on an association's page: who, what, how often, how — short sentences.

Everything comes from the fiche's own fields (the details follow on the page); a
fact the association does not state is left out rather than guessed.
"""

from core.french import lower_first, sentence

from .models import ReviewItem

PUBLIC, MODALITIES = ReviewItem.Section.PUBLIC, ReviewItem.Section.MODALITIES
# As the page says it below, inside the sentence: « (information à vérifier …) ».
CHECK = lower_first(ReviewItem.PUBLIC_NOTICE)

# Longer than this, a duration is a sentence of its own: the page says it below.
SHORT_DURATION = 30


def names(vocabulary):
    """Names from a vocabulary, with commas only: some names hold "et" or "ou" themselves."""
    return ", ".join(lower_first(name) for name in vocabulary)


def in_brief(association, to_check=()):
    """The fiche's essentials as a few short sentences, in the order a family asks.

    `to_check`: the sections the public is told to check (`public_review_items`); their
    sentences say so, as the page does below.
    """
    lines = []
    checked = dict.fromkeys(ReviewItem.Section, "")
    for section in to_check:
        checked[section] = f" ({CHECK})"
    if association.age_range:
        lines.append(f"Pour les jeunes {association.age_range}{checked[PUBLIC]}.")
    levels = [level.name for level in association.levels.all()]
    if levels:
        lines.append(sentence("Classes ou situations", names(levels)) + checked[PUBLIC] + ".")
    reserved = [
        link.audience.name for link in association.associationaudience_set.all() if link.is_required
    ]
    if reserved:
        lines.append(sentence("Seulement pour", names(reserved)) + checked[PUBLIC] + ".")
    needs = [need.name for need in association.needs.all()]
    if needs:
        lines.append(sentence("Le mentor aide pour", names(needs)) + ".")
    rhythm = ", ".join(
        part for part in [association.frequency_label, association.time_label] if part
    )
    if rhythm:
        lines.append(sentence("Rencontres", rhythm) + checked[MODALITIES] + ".")
    duration = association.duration_text.strip().rstrip(".")
    if duration and len(duration) <= SHORT_DURATION:
        lines.append(sentence("Durée", lower_first(duration)) + checked[MODALITIES] + ".")
    if association.modalities:
        lines.append(association.modality_label + checked[MODALITIES] + ".")
    return lines
