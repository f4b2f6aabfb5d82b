"""HTTP behaviours that several apps' views share, each written once."""

from functools import wraps

from django.conf import settings
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag


def public_api(view=None, *, max_age=0):
    """Every `/api/` and open-data view: readable from any site, and conditional GET.

    CORS: the answer is public, read-only and needs no cookie, so any origin may read
    it, errors included. ETag: the body's hash, so it changes the moment staff edit
    anything the answer shows (nothing to invalidate); a client that has this version
    gets a 304. `max_age=0` makes clients revalidate every time (`no-cache`); files
    that may be a little stale (exports) say how long they may keep them. Not for HTML
    pages: their CSP nonce and CSRF token change on every request.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            response["Access-Control-Allow-Origin"] = "*"
            if request.method not in ("GET", "HEAD") or response.status_code != 200:
                return response
            if response.streaming:
                return response
            if not response.has_header("ETag"):
                set_response_etag(response)
            if max_age:
                patch_cache_control(response, public=True, max_age=max_age)
            else:
                patch_cache_control(response, no_cache=True)
            return get_conditional_response(request, etag=response["ETag"], response=response)

        return wrapper

    return decorator(view) if view is not None else decorator


def query_without(request, *names):
    """The request's query string without `names` (say, `page`), for links that add it."""
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


def client_ip_address(request):
    """The visitor's address, for rate limits and django-axes' lockouts (never logged).

    Behind settings.TRUSTED_PROXY_COUNT proxies, each appends the address it saw to
    X-Forwarded-For: the one the outermost proxy saw is that many from the right.
    Anything further left was written by the visitor and cannot be trusted.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        addresses = [address.strip() for address in forwarded if address.strip()]
        if len(addresses) >= proxies:
            return addresses[-proxies]
    return request.META.get("REMOTE_ADDR")
