"""The family's language: every message to the family is written in the language of
its request (`Referral.language`, that of the form's address), its links lead to the
pages in that language and its dates are said in it, whatever language the worker
runs in. The association's and staff's messages stay in French, and say in which
language the family wrote.
"""

from django.conf import settings
from django.urls import reverse
from django.utils import formats, translation

from core.french import long_date

FRENCH = "fr"


def of_family(referral):
    """`with of_family(referral):` the family's language, its links included."""
    return translation.override(referral.language)


def in_french():
    """`with in_french():` the association's and staff's messages, and their links."""
    return translation.override(FRENCH)


def site_home():
    """The site's home page in the active language: SITE_URL itself in French (as the
    messages always wrote it), SITE_URL/ar/ in Arabic."""
    path = reverse("associations:home")
    return settings.SITE_URL + ("" if path == "/" else path)


def said_date(day):
    """A day as the family reads it: « 1er décembre 2026 », « 1 ديسمبر 2026 »,
    « 1 December 2026 » (Django's month names, Western digits)."""
    if translation.get_language() == FRENCH:
        return long_date(day)
    return formats.date_format(day, "j F Y")
