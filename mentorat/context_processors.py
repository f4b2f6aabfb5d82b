from django.conf import settings
from django.utils import translation
from django.utils.functional import SimpleLazyObject, lazy

from core.cache import directory_version
from core.french import age_range
from core.languages import alternates
from core.vocabularies import AGES, Seeker


def site(request):
    """What every page may say: its canonical address (the public site URL and the path,
    without the query) and the ages of the young people the portal speaks of."""
    low, high = AGES[Seeker.YOUNG_PERSON]
    return {
        "canonical_url": settings.SITE_URL + request.path,
        "site_url": settings.SITE_URL,
        # "de 5 à 30 ans", in the page's language (said when the template shows it).
        "young_ages": lazy(age_range, str)(low, high),
        # The same bounds, for a sentence that words them itself: "de {{ low }} à {{ high }}".
        "young_age_low": low,
        "young_age_high": high,
        # For `{% cache … directory_version %}`: a fragment of the directory, the same for
        # every visitor until staff edit it (core.cache); read only by a page that asks.
        # Rendered in the page's language: the fragment's key holds it.
        "directory_version": SimpleLazyObject(
            lambda: f"{directory_version()}-{translation.get_language()}"
        ),
    }


def languages(request):
    """The page in each of the interface's languages: the switch and the hreflang links."""
    return {"languages": SimpleLazyObject(lambda: alternates(request))}
