"""At most REFERRAL_RATE_LIMIT requests per hour from one address (professionals:
REFERRAL_RATE_LIMIT_PROFESSIONAL).

Each request is counted before it is let through, with one atomic increment: of 50
sent at once from one address, by any number of processes, exactly the limit pass.
In production the cache is Redis (REDIS_URL), shared by every process and server;
without it (development) each process counts on its own (README, "Mise en
relation"). The address is never stored nor logged: the cache holds a keyed hash of
it (HMAC with SECRET_KEY, which cannot be reversed without the key), for the
current hour only.
"""

import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.utils.crypto import salted_hmac

from core.http import client_ip_address

logger = logging.getLogger(__name__)

WINDOW_SECONDS = 60 * 60
# A counter lives a little longer than its hour, so that it never expires while in use
# (servers' clocks differ by a few seconds).
KEY_TIMEOUT = WINDOW_SECONDS + 5 * 60


def key(request):
    """The counter of this address for the current hour."""
    window = int(time.time() // WINDOW_SECONDS)
    address = client_ip_address(request) or ""
    digest = salted_hmac(
        "referrals.ratelimit", f"{address}|{window}", algorithm="sha256"
    ).hexdigest()[:32]
    return f"referrals:ratelimit:{digest}"


def limit(professional=False):
    if professional:
        return settings.REFERRAL_RATE_LIMIT_PROFESSIONAL
    return settings.REFERRAL_RATE_LIMIT


def allow(request, professional=False):
    """Count this request; True if it is within the limit of its address.

    One counter per address: a professional's requests count in it too, against their
    higher limit. If the cache cannot be reached, the request is let through (and the
    failure logged): losing what a family typed would be worse than a few more requests.
    """
    counter = key(request)
    try:
        try:
            cache.add(counter, 0, KEY_TIMEOUT)
            count = cache.incr(counter)
        except ValueError:  # the counter expired between the two calls: a new one starts
            cache.set(counter, 1, KEY_TIMEOUT)
            count = 1
    except Exception as error:
        logger.warning("Limite des demandes : cache injoignable (%s).", type(error).__name__)
        return True
    return count <= limit(professional)
