"""At most REFERRAL_RATE_LIMIT requests per hour from one address.

The address is never stored nor logged: the cache holds a keyed hash of it (HMAC
with SECRET_KEY, which cannot be reversed without the key), for the current hour
only. The cache is the process's memory unless settings.CACHES says otherwise:
with several workers, each counts on its own (README, "Mise en relation").
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.utils.crypto import salted_hmac

from core.http import client_ip_address

WINDOW_SECONDS = 60 * 60


def _key(request):
    window = int(time.time() // WINDOW_SECONDS)
    address = client_ip_address(request) or ""
    digest = salted_hmac(
        "referrals.ratelimit", f"{address}|{window}", algorithm="sha256"
    ).hexdigest()[:32]
    return f"referrals:ratelimit:{digest}"


def limit():
    return settings.REFERRAL_RATE_LIMIT


def is_exceeded(request):
    return cache.get(_key(request), 0) >= limit()


def count(request):
    key = _key(request)
    # add() then incr(): atomic in every cache backend that Django ships.
    cache.add(key, 0, WINDOW_SECONDS)
    try:
        cache.incr(key)
    except ValueError:  # expired between the two calls
        cache.set(key, 1, WINDOW_SECONDS)
