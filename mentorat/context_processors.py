from django.conf import settings


def site(request):
    """The page's canonical address: the public site URL and the path, without the query."""
    return {"canonical_url": settings.SITE_URL + request.path}
