"""The interface's languages: the switch between them, and the choice remembered.

French is the default and keeps the unprefixed addresses (every QR code already
printed, every link already shared); the other languages of settings.LANGUAGES are
prefixed (`/ar/…`, `/en/…`). The switch leads through `choose_language`, which
remembers the choice in a cookie; a visitor who chose another language and opens a
French address (a QR code) is sent to the same page in their language.
"""

from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.encoding import iri_to_uri
from django.utils.http import url_has_allowed_host_and_scheme

# The texts' own language, the default: French.
FRENCH = settings.LANGUAGE_CODE
# The switch's parameter: the page to come back to, in the chosen language.
NEXT_PARAMETER = "suivant"


def is_language(code):
    return code in dict(settings.LANGUAGES)


def in_language(path, code):
    """`path` (and its query) in the language `code`: itself where it has no translation
    (the administration, the API, a page that does not exist)."""
    parsed = urlsplit(path)
    translated = _translated_path(parsed.path, code, translation.get_language())
    if translated != parsed.path:
        path = urlunsplit(parsed._replace(path=translated))
    return iri_to_uri(path)


@lru_cache(maxsize=1024)
def _translated_path(path, code, active):
    """A path in another language, as Django translates it: a resolve and a reverse,
    six times a page (the switch and the hreflang links of three languages), the same
    for every visit of the page whatever its query; kept. `active`, the language active
    at the time, decides which prefix resolves."""
    return translate_url(path, code)


@dataclass(frozen=True)
class Alternate:
    """The page being shown, in one of the interface's languages."""

    code: str
    name: str  # in the language itself: "العربية"
    page: str  # the page's path in this language, without its query (hreflang)
    switch: str  # the switch's link: chooses this language, back to this page
    current: bool
    bidi: bool
    # The page exists in this language (an hreflang link): open data and print material
    # are French only, their one address the same whatever the language asked.
    exists: bool


def alternates(request):
    """The page in each language: always a switch link, an hreflang link only where the
    page has its own address in that language."""
    current = translation.get_language()
    full_path = request.get_full_path()
    here = in_language(request.path, current)
    languages = []
    for code, name in settings.LANGUAGES:
        page = in_language(request.path, code)
        languages.append(
            Alternate(
                code=code,
                name=name,
                page=page,
                switch=reverse("choose_language", args=[code])
                + "?"
                + urlencode({NEXT_PARAMETER: in_language(full_path, code)}),
                current=code == current,
                bidi=translation.get_language_info(code)["bidi"],
                exists=code == current or page != here,
            )
        )
    return languages


def safe_next(request):
    """The page the switch came from, if it is one of this site's: else the home page."""
    path = request.GET.get(NEXT_PARAMETER, "")
    if path.startswith("/") and url_has_allowed_host_and_scheme(
        path, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return path
    return "/"


def remember(response, code):
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


def remembered(request):
    """The language the visitor chose with the switch, if it is one of the site's."""
    code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    return code if code and is_language(code) else None
