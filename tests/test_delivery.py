"""The rate limit holds across processes and servers (issue 11): counted in Redis.

Real processes: two Python processes hit the same counter in Redis (REDIS_URL) at
the same moment; without REDIS_URL these tests are skipped.
"""

import os
import socket
import subprocess
import sys
import time

import pytest
from django.conf import settings

from .conftest import new_prefix

pytestmark = pytest.mark.django_db


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# The rate limit, counted in Redis by several processes at once.

REDIS_URL = os.environ.get("REDIS_URL", "")
needs_redis = pytest.mark.skipif(
    not REDIS_URL, reason="REDIS_URL non défini : ces tests comptent dans un vrai Redis."
)

BURST = """
import os, sys, time
import django
django.setup()
from django.test import RequestFactory
from referrals import ratelimit
request = RequestFactory().post("/", REMOTE_ADDR="192.0.2.50")
start = float(sys.argv[1])
time.sleep(max(0, start - time.time()))
print(sum(ratelimit.allow(request) for _ in range(25)))
"""


@needs_redis
def test_a_burst_from_two_processes_lets_exactly_the_limit_through(capsys):
    prefix = new_prefix()
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "mentorat.settings",
        "REDIS_URL": REDIS_URL,
        "REDIS_KEY_PREFIX": prefix,
        "REFERRAL_RATE_LIMIT": "5",
    }
    start = time.time() + 3  # both processes are ready by then, and start together
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", BURST, str(start)],
            cwd=settings.BASE_DIR,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    results = [process.communicate(timeout=60) for process in processes]
    allowed = [int(output.strip().splitlines()[-1]) for output, _ in results]
    with capsys.disabled():
        print(f"\n  Burst of 50 from one address over 2 processes: {sum(allowed)} let through")
    assert sum(allowed) == 5, results


@needs_redis
def test_two_clients_on_their_own_connections_share_the_count(monkeypatch, rf):
    """Two servers' caches: separate clients, separate connections, one counter."""
    from django.core.cache.backends.redis import RedisCache

    from referrals import ratelimit

    params = {"KEY_PREFIX": new_prefix(), "OPTIONS": {"socket_timeout": 1}}
    servers = [RedisCache(REDIS_URL, params), RedisCache(REDIS_URL, params)]
    request = rf.post("/", REMOTE_ADDR="192.0.2.51")
    allowed = []
    for cache in servers * 4:
        monkeypatch.setattr(ratelimit, "cache", cache)
        allowed.append(ratelimit.allow(request))
    assert allowed == [True] * 5 + [False] * 3
    assert servers[0].get(ratelimit.key(request)) == 8
    assert servers[0]._cache.get_client() is not servers[1]._cache.get_client()


def test_without_the_cache_requests_are_let_through(rf, monkeypatch, caplog):
    """Redis down: the family's request goes (and the failure is logged), never a 500."""
    from django.core.cache.backends.redis import RedisCache

    from referrals import ratelimit

    nowhere = f"redis://127.0.0.1:{free_port()}"
    params = {"OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2}}
    monkeypatch.setattr(ratelimit, "cache", RedisCache(nowhere, params))
    assert ratelimit.allow(rf.post("/", REMOTE_ADDR="192.0.2.52"))
    assert "Limite des demandes : cache injoignable (ConnectionError)." in caplog.text
