"""Texts kept in several languages (a column per language: associations/translation.py),
shown in the page's language, or in French, said so: the one home of that rule.

A text staff have not translated yet reads the French (settings'
MODELTRANSLATION_FALLBACK_LANGUAGES). On a page in another language, that French is put
inside `lang="fr"` (a screen reader switches voice), `dir="ltr"` on a right-to-left page,
and followed by « (en français) » in the page's language: a visitor knows why they do
not understand it, and can ask someone who reads French.

    {{ association|translated:"summary" }}
    {{ association|translated_paragraphs:"description" }}
    {{ association.levels.all|translated_names }}
    {{ item.note|in_french }}  {# a text that exists only in French #}
    {{ collective.presentation|in_french_paragraphs }}
    <ul{% french_attributes %}>…</ul>{% french_marker %}  {# a list that exists only in French #}

In Python, a sentence made around such a text (a result's reason) is
`filled(gettext("À savoir : %(notes)s"), notes=marked(association, "eligibility_notes"))`,
HTML for a page, `as_text()` for the API.
"""

import html

from django import template
from django.conf import settings
from django.template.defaultfilters import linebreaks_filter
from django.utils.html import conditional_escape, format_html, strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, get_language_bidi, gettext, pgettext
from modeltranslation.translator import NotRegistered, translator

SOURCE = settings.MODELTRANSLATION_DEFAULT_LANGUAGE

register = template.Library()


def is_translated(obj, field):
    try:
        return field in translator.get_options_for_model(type(obj)).all_fields
    except NotRegistered:
        return False


def localized(obj, field):
    """(text, in_french): the page's language's text of `obj`'s `field`, or the French one
    with `in_french` true when the page is in another language and has none."""
    language = get_language()
    if language == SOURCE or not is_translated(obj, field):
        return getattr(obj, field) or "", False
    own = getattr(obj, f"{field}_{language}", None)
    if own:
        return own, False
    return getattr(obj, f"{field}_{SOURCE}", None) or "", True


def french_attributes_html():
    """' lang="fr"' (and ' dir="ltr"' on a right-to-left page) in a page of another
    language, for an element holding French; "" on a French page."""
    if get_language() == SOURCE:
        return ""
    return mark_safe(' lang="fr" dir="ltr"' if get_language_bidi() else ' lang="fr"')


def shown(text, in_french=False, paragraphs=False):
    """`text`, escaped (in paragraphs: Django's `linebreaks`), marked if it is French in a
    page of another language."""
    if not text:
        return ""
    html = linebreaks_filter(text, autoescape=True) if paragraphs else conditional_escape(text)
    if not in_french or get_language() == SOURCE:
        return html
    attributes, marker = french_attributes_html(), gettext("(en français)")
    if paragraphs:
        return format_html('<div{}>{}</div><p class="in-french">{}</p>', attributes, html, marker)
    return format_html(
        '<span{}>{}</span> <span class="in-french">{}</span>', attributes, html, marker
    )


@register.filter
def translated(obj, field):
    """`obj`'s `field` in the page's language, or in French, marked."""
    return shown(*localized(obj, field))


@register.filter
def translated_paragraphs(obj, field):
    """The same, for a text of paragraphs (as `linebreaks` shows them)."""
    text, in_french = localized(obj, field)
    return shown(text, in_french, paragraphs=True)


def separator():
    """Between the names of a list: ", " (the Arabic comma in Arabic)."""
    return pgettext("between the names of a list", ", ")


def names(terms, transform=None):
    """Vocabulary terms' names, separated by commas, each marked if French; `transform`
    (say `lower_first`, inside a sentence) applies to each name's text."""
    shown_names = []
    for term in terms:
        text, in_french = localized(term, "name")
        shown_names.append(shown(transform(text) if transform else text, in_french))
    return mark_safe(conditional_escape(separator()).join(shown_names))


@register.filter
def translated_names(terms):
    """`{{ association.levels.all|translated_names }}`: « Collège, Lycée professionnel »."""
    return names(terms)


@register.filter
def in_french(text):
    """A text that exists only in French (a note of staff), marked in another language."""
    return shown(text, in_french=True)


def marked(obj, field, transform=None):
    """`obj`'s `field` shown as `translated` shows it, a field kept only in French marked
    too; `transform` (say `lower_first`, inside a sentence) applies to its text."""
    text, in_french = localized(obj, field)
    if not is_translated(obj, field):
        in_french = True  # the same text for every language: French (unmarked in French)
    return shown(transform(text) if transform and text else text, in_french)


def filled(sentence, **values):
    """A translated `sentence` ("À savoir : %(notes)s") around values that are HTML
    already (`marked`): the sentence's own words escaped, the values kept."""
    return mark_safe(conditional_escape(sentence) % values)


def as_text(item):
    """What a reader sees of an item that may be HTML (`filled`): the text, for JSON."""
    return html.unescape(strip_tags(item)) if isinstance(item, SafeString) else item


@register.filter
def in_french_paragraphs(text):
    """A text of paragraphs that exists only in French (the Collectif's), marked."""
    return shown(text, in_french=True, paragraphs=True)


@register.simple_tag
def french_attributes():
    """On an element that holds a French block (a list): its `lang`, and `dir` in RTL."""
    return french_attributes_html()


@register.simple_tag
def french_marker():
    """After a French block, once, in a page of another language: « (en français) »."""
    if get_language() == SOURCE:
        return ""
    return format_html('<p class="in-french">{}</p>', gettext("(en français)"))


@register.filter
def french_name(text):
    """A name written in French (a place's: « Afev à Roubaix (lieu à préciser) »), read as
    it is: `lang="fr"` in a page of another language, with no marker."""
    if not text:
        return ""
    if get_language() == SOURCE:
        return conditional_escape(text)
    return format_html("<span{}>{}</span>", french_attributes_html(), text)
