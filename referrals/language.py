"""The family's language: every message to the family is written in the language of
its request (`Referral.language`, that of the form's address), its links lead to the
pages in that language and its dates are said in it, whatever language the worker
runs in. The association's and staff's messages stay in French, and say in which
language the family wrote.
"""

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from core.languages import FRENCH


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
