"""HTTP behaviours that several apps' views share, each written once."""

import ipaddress
from functools import lru_cache, wraps

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


@lru_cache(maxsize=8)
def _trusted_networks(proxies):
    """settings.TRUSTED_PROXIES as networks (checked when the settings are read)."""
    return tuple(ipaddress.ip_network(network) for network in proxies)


def _address(value):
    """An IP address from a header or the connection, ports and brackets aside; or None."""
    value = value.strip()
    if value.startswith("[") and "]" in value:  # [2001:db8::1]:443
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # 192.0.2.1:443
        value = value.partition(":")[0]
    try:
        return ipaddress.ip_address(value)
    except ValueError:
        return None


def client_ip_address(request):
    """The visitor's address, for rate limits and django-axes' lockouts (never logged).

    X-Forwarded-For is read only when the connection comes from one of
    settings.TRUSTED_PROXIES (networks): each proxy appends the address it saw, so the
    right-most address that is not a trusted proxy is the visitor's. Anything further
    left was written by the visitor, and anyone else's header is ignored.
    """
    remote = request.META.get("REMOTE_ADDR")
    networks = _trusted_networks(tuple(settings.TRUSTED_PROXIES))
    connection = _address(remote or "")

    def trusted(address):
        return any(address in network for network in networks)

    if connection is None or not trusted(connection):
        return remote
    client = connection
    for entry in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        address = _address(entry)
        if address is None:
            break  # written by the visitor, as all that is left of it
        client = address
        if not trusted(address):
            break
    return str(client)
