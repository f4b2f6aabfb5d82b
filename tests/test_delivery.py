"""E-mail leaves through a real queue, and the rate limit holds across processes (issue 11).

Real processes, real servers: `manage.py db_worker` runs as a subprocess against the
test database (a file on SQLite, the test database on PostgreSQL), and sends to a
local SMTP server (aiosmtpd) that captures what it receives; a server that accepts
connections and never answers, and a port that refuses them, stand for a mail
server in trouble. These tests commit their data (the worker reads it from another
process), so the database is emptied after each. The rate limit is checked against
Redis (REDIS_URL) from two processes.
"""

import asyncio
import os
import socket
import subprocess
import sys
import threading
import time
from datetime import timedelta
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from associations.models import Association, Contact
from referrals.models import Referral, Status
from referrals.tasks import send_referral_emails

from .helpers import YOUNG_FORM, new_prefix, request_data

pytestmark = pytest.mark.django_db(transaction=True)

ON_POSTGRESQL = connection.vendor == "postgresql"
WORKER_TIMEOUT = 120


@pytest.fixture
def brochure(migration_data, seed):
    """The brochure, committed, and staff have confirmed Afev's address."""
    Contact.objects.filter(association__slug="afev").update(email_confirmed_at=timezone.now())


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Capture:
    """aiosmtpd handler: keeps every message received, as parsed e-mails."""

    def __init__(self, delay=0):
        self.messages, self.delay = [], delay

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(self.delay)
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted"


class SMTPServer:
    """A local SMTP server on `port`, started and stopped at will; `delay` seconds a
    message, like a real one."""

    def __init__(self, port, delay=0):
        self.port, self.capture, self.controller = port, Capture(delay), None

    def start(self):
        self.controller = Controller(self.capture, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self):
        if self.controller:
            self.controller.stop()
            self.controller = None

    @property
    def messages(self):
        return self.capture.messages


class HangingServer:
    """Accepts TCP connections and never says a word (a mail server that is stuck)."""

    def __init__(self):
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.port = self.socket.getsockname()[1]
        self.connections = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                accepted, _ = self.socket.accept()
            except OSError:
                return  # closed
            self.connections.append(accepted)

    def close(self):
        if self.socket.fileno() != -1:
            self.socket.shutdown(socket.SHUT_RDWR)  # wakes the thread blocked in accept()
            self.socket.close()
        for accepted in self.connections:
            accepted.close()


@pytest.fixture
def smtp_servers():
    started = []
    yield started
    for server in started:
        server.stop() if isinstance(server, SMTPServer) else server.close()


def database_url():
    """The test database, as the worker process reads it from DATABASE_URL."""
    database = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{database['NAME']}"
    credentials = database["USER"] + (f":{database['PASSWORD']}" if database["PASSWORD"] else "")
    return f"postgres://{credentials}@{database['HOST']}:{database['PORT']}/{database['NAME']}"


def worker(port, *arguments):
    """Start `manage.py db_worker` in its own process, mailing to 127.0.0.1:`port`."""
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "mentorat.settings",
        "DATABASE_URL": database_url(),
        "DEBUG": "1",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(port),
        "EMAIL_TIMEOUT": "2",
        "CONN_MAX_AGE": "0",
    }
    return subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "db_worker",
            "--batch",
            "--no-reload",
            "--no-startup-delay",
            "--interval=0",
            *arguments,
        ],
        cwd=settings.BASE_DIR,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def finish(process):
    output, _ = process.communicate(timeout=WORKER_TIMEOUT)
    assert process.returncode == 0, output
    return output


def time_passes():
    """The retries planned for later are due now."""
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())


def post_request(client, **changes):
    started = time.perf_counter()
    response = client.post(YOUNG_FORM, request_data(**changes))
    return response, time.perf_counter() - started


def test_request_queued_worker_smtp_transmise(client, brochure, smtp_servers):
    """The whole path, with real processes: request → queued → worker → SMTP → transmise."""
    server = SMTPServer(free_port()).start()
    smtp_servers.append(server)
    response, _ = post_request(client)
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert referral.status == Status.NEW and not server.messages
    assert DBTaskResult.objects.filter(status="READY").count() == 1

    finish(worker(server.port))

    referral.refresh_from_db()
    assert referral.status == Status.SENT
    assert referral.association_notified_at and referral.acknowledged_at
    assert referral.email_failed_at is None and referral.email_claimed_at is None
    assert [change.changed_by for change in referral.status_changes.all()] == [None, None]
    to_association, acknowledgement = server.messages
    assert to_association["To"] == "lille@afev.org"
    assert to_association["Reply-To"] == "ines@example.org"
    assert referral.reference in to_association["Subject"]
    assert "Prénom : Inès" in to_association.get_content()
    assert acknowledgement["To"] == "ines@example.org"
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


@pytest.mark.parametrize("trouble", ["hanging", "refusing"])
def test_a_mail_server_in_trouble_changes_nothing_for_the_visitor(
    client, brochure, smtp_servers, settings, trouble, capsys
):
    """The visitor's POST never reaches the mail server; the worker tries again and
    succeeds once it is back."""
    if trouble == "hanging":
        hanging = HangingServer()
        smtp_servers.append(hanging)
        port = hanging.port
    else:
        port = free_port()  # nothing listens: connections are refused
    # Were the view to send, it would try this very server.
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 10},
        }
    }
    response, seconds = post_request(client)
    with capsys.disabled():
        print(f"\n  POST with a {trouble} SMTP server: {seconds * 1000:.0f} ms")
    assert response.status_code == 302
    referral = Referral.objects.get()  # kept
    assert client.get(response["Location"]).status_code == 200
    if trouble == "hanging":
        time.sleep(0.2)  # a connection the view made would have been accepted by now
        assert hanging.connections == []

    # The worker tries, fails (timeout or refusal), keeps the request and plans a retry.
    output = finish(worker(port))
    referral.refresh_from_db()
    assert referral.status == Status.NEW and referral.email_failed_at is not None
    assert referral.email_attempts == 1 and referral.email_claimed_at is None
    error = "SMTPServerDisconnected" if trouble == "hanging" else "ConnectionRefusedError"
    assert error in output or "TimeoutError" in output
    assert "ines@example.org" not in output
    (retry,) = DBTaskResult.objects.filter(status="READY")
    assert retry.run_after > timezone.now()
    if trouble == "hanging":
        assert len(hanging.connections) == 1  # the worker's: one timeout, not the visitor's
        hanging.close()

    # The server is back: the retry, once due, sends each message once.
    server = SMTPServer(port).start()
    smtp_servers.append(server)
    time_passes()
    finish(worker(port))
    referral.refresh_from_db()
    assert referral.status == Status.SENT and referral.email_failed_at is None
    assert [message["To"] for message in server.messages] == ["lille@afev.org", "ines@example.org"]


@pytest.mark.skipif(
    not ON_POSTGRESQL,
    reason="SQLite n’a pas de verrous de ligne et n’accepte qu’un écrivain à la fois : deux "
    "workers concurrents se vérifient sur PostgreSQL (DATABASE_URL=postgres://…).",
)
def test_two_workers_and_the_admin_action_send_each_email_once(
    client, brochure, smtp_servers, superuser, capsys
):
    # 50 ms a message: the two workers surely overlap on the 30 requests.
    server = SMTPServer(free_port(), delay=0.05).start()
    smtp_servers.append(server)
    afev = Association.objects.get(slug="afev")
    referrals = [
        Referral.objects.create(
            association=afev,
            kind="jeune",
            first_name=f"Jeune{index}",
            email=f"jeune{index}@example.org",
            age=16,
        )
        for index in range(30)
    ]
    # Each twice in a row, as the form and a sweep would queue them: the two workers
    # take the two tasks of one request at the same moment.
    for referral in referrals:
        send_referral_emails.enqueue(referral.pk)
        send_referral_emails.enqueue(referral.pk)
    client.force_login(superuser)
    workers = [worker(server.port, "--worker-id=un"), worker(server.port, "--worker-id=deux")]
    # Meanwhile, once the workers have begun, staff select all 30 and ask to send them
    # again: the action queues those still waiting for an e-mail.
    deadline = time.monotonic() + WORKER_TIMEOUT
    while not server.messages and time.monotonic() < deadline:
        time.sleep(0.05)
    response = client.post(
        reverse("admin:referrals_referral_changelist"),
        {"action": "resend_emails", "_selected_action": [r.pk for r in referrals]},
    )
    assert response.status_code == 302
    queued_by_action = DBTaskResult.objects.count() - 60
    assert 0 <= queued_by_action <= 30
    outputs = [finish(process) for process in workers]
    finish(worker(server.port, "--worker-id=trois"))  # what is left of the action's tasks

    sent = [(message["To"], message["Subject"]) for message in server.messages]
    with capsys.disabled():
        print(f"\n  Two workers and the admin action, 30 requests: {len(sent)} e-mails sent")
    assert len(sent) == len(set(sent)) == 60, outputs
    assert sorted(to for to, _ in sent) == sorted(
        ["lille@afev.org"] * 30 + [f"jeune{index}@example.org" for index in range(30)]
    )
    for referral in referrals:
        referral.refresh_from_db()
        assert referral.status == Status.SENT and referral.email_claimed_at is None
        assert referral.status_changes.filter(status=Status.SENT).count() == 1
    # Both workers sent; of the two or three tasks of each request, one did, the others
    # found it taken or done.
    workers_that_ran = {
        worker_id
        for worker_ids in DBTaskResult.objects.values_list("worker_ids", flat=True)
        for worker_id in worker_ids
    }
    assert {"un", "deux"} <= workers_that_ran
    statuses = sorted(DBTaskResult.objects.values_list("status", flat=True))
    assert statuses == ["SUCCESSFUL"] * (60 + queued_by_action), outputs
    assert DBTaskResult.objects.filter(return_value__claimed=True).count() == 30


def test_the_sweep_requeues_lost_requests_and_reports_late_ones(brochure, capsys):
    afev = Association.objects.get(slug="afev")
    lost = Referral.objects.create(
        association=afev, kind="jeune", first_name="Perdue", email="p@example.org", age=16
    )
    Referral.objects.filter(pk=lost.pk).update(created_at=timezone.now() - timedelta(hours=2))
    fresh = Referral.objects.create(
        association=afev, kind="jeune", first_name="Neuve", email="n@example.org", age=16
    )
    call_command("enqueue_pending_emails")
    (task,) = DBTaskResult.objects.all()
    assert task.args_kwargs["args"] == [lost.pk]  # the fresh one has its own task coming
    assert "Demandes remises dans la file d’envoi : 1." in capsys.readouterr().out
    Referral.objects.filter(pk=fresh.pk).update(created_at=timezone.now() - timedelta(hours=25))
    result = subprocess.run(
        [sys.executable, "manage.py", "enqueue_pending_emails"],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DATABASE_URL": database_url()},
        capture_output=True,
        text=True,
        timeout=WORKER_TIMEOUT,
    )
    assert result.returncode == 1
    assert "1 demande(s) attendent un courriel depuis plus de 24 h" in result.stderr
    assert fresh.reference in result.stderr and "n@example.org" not in result.stderr


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
@pytest.mark.django_db(transaction=False)
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
@pytest.mark.django_db(transaction=False)
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


@pytest.mark.django_db(transaction=False)
def test_without_the_cache_requests_are_let_through(rf, monkeypatch, caplog):
    """Redis down: the family's request goes (and the failure is logged), never a 500."""
    from django.core.cache.backends.redis import RedisCache

    from referrals import ratelimit

    nowhere = f"redis://127.0.0.1:{free_port()}"
    params = {"OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2}}
    monkeypatch.setattr(ratelimit, "cache", RedisCache(nowhere, params))
    assert ratelimit.allow(rf.post("/", REMOTE_ADDR="192.0.2.52"))
    assert "Limite des demandes : cache injoignable (ConnectionError)." in caplog.text
