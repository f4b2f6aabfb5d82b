"""« En bref » on an association's page: who, what, how often, how — short sentences.

Everything comes from the fiche's own fields (the details follow on the page); a
fact the association does not state is left out rather than guessed. Each sentence is
one phrase with its placeholders, in the page's language; a text or a term not yet
translated is shown in French, marked (core/templatetags/translated.py).
"""

from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext

from core.french import join_words, lower_first
from core.templatetags.translated import SOURCE, localized, names, shown

from .models import ReviewItem

PUBLIC, MODALITIES = ReviewItem.Section.PUBLIC, ReviewItem.Section.MODALITIES

# Longer than this, a duration is a sentence of its own: the page says it below.
SHORT_DURATION = 30


def phrase(translated, **values):
    """A `translated` phrase, with its placeholders filled by `values`, escaped unless safe."""
    escaped = {name: conditional_escape(value) for name, value in values.items()}
    return mark_safe(conditional_escape(translated) % escaped)


def ages(association):
    low, high = association.age_min, association.age_max
    if low is not None and high is not None:
        return phrase(gettext("Pour les jeunes de %(low)s à %(high)s ans"), low=low, high=high)
    if low is not None:
        return phrase(gettext("Pour les jeunes à partir de %(low)s ans"), low=low)
    if high is not None:
        return phrase(gettext("Pour les jeunes jusqu’à %(high)s ans"), high=high)
    return ""


def rhythm(association):
    """ "1 à 2 fois par semaine, 2 h par semaine"; in another language, the fiche's
    frequency in words where it is translated (the labels are French sentences)."""
    labels = [label for label in [association.frequency_label, association.time_label] if label]
    if labels and get_language() != SOURCE:
        text, in_french = localized(association, "frequency_text")
        if text and not in_french:
            return text
        return shown(", ".join(labels), in_french=True)
    return ", ".join(labels)


def modalities(association):
    """ "En présentiel et à distance", "À distance"."""
    first, *others = association.modalities
    if not others:
        return first.label
    return phrase(
        gettext("%(first)s et %(second)s"),
        first=first.label,
        second=join_words(m.words for m in others),
    )


def in_brief(association, to_check=()):
    """The fiche's essentials as a few short sentences, in the order a family asks.

    `to_check`: the sections the public is told to check (`public_review_items`); their
    sentences say so, as the page does below.
    """
    lines = []
    checked = dict.fromkeys(ReviewItem.Section, "")
    for section in to_check:
        checked[section] = (
            f" ({conditional_escape(lower_first(gettext(ReviewItem.PUBLIC_NOTICE)))})"
        )

    def line(sentence, section=None):
        lines.append(mark_safe(f"{conditional_escape(sentence)}{checked.get(section, '')}."))

    if association.states_ages:
        line(ages(association), PUBLIC)
    levels = association.levels.all()
    if levels:
        line(
            phrase(
                gettext("Classes ou situations : %(levels)s"),
                levels=names(levels, lower_first),
            ),
            PUBLIC,
        )
    reserved = [
        link.audience for link in association.associationaudience_set.all() if link.is_required
    ]
    if reserved:
        line(
            phrase(gettext("Seulement pour : %(publics)s"), publics=names(reserved, lower_first)),
            PUBLIC,
        )
    needs = association.needs.all()
    if needs:
        line(phrase(gettext("Le mentor aide pour : %(needs)s"), needs=names(needs, lower_first)))
    if said := rhythm(association):
        line(phrase(gettext("Rencontres : %(rhythm)s"), rhythm=said), MODALITIES)
    duration, in_french = localized(association, "duration_text")
    duration = duration.strip().rstrip(".")
    if duration and len(duration) <= SHORT_DURATION:
        said = shown(lower_first(duration), in_french)
        line(phrase(gettext("Durée : %(duration)s"), duration=said), MODALITIES)
    if association.modalities:
        line(modalities(association), MODALITIES)
    return lines
