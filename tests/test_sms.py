"""Text messages to a family with a phone only (issue 12), through a pluggable backend."""

import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core import mail
from django.utils import timezone

from associations.models import Contact
from core import sms
from referrals.follow_up import EXPIRY_DAYS
from referrals.models import Referral
from referrals.tasks import send_referral_emails

from .helpers import run_follow_up, run_tasks, sent_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def seed(seed):
    Contact.objects.filter(association__slug="afev").update(email_confirmed_at=timezone.now())


@pytest.fixture
def texts(settings):
    settings.SMS_BACKEND = "core.sms.LocmemBackend"
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()


def later(days):
    return timezone.now() + timedelta(days=days, minutes=1)


def test_an_expired_request_is_texted_with_the_orientation_s_results(client, seed, texts):
    referral = sent_request(client, email="", phone="06 12 34 56 78")
    run_follow_up(later(EXPIRY_DAYS))
    acknowledgement, text = texts
    assert "est bien enregistrée" in acknowledgement.body
    assert text.to == "+33612345678"
    assert text.body.startswith(
        f"Mentorat Roubaix\u00a0: Afev n’a pas répondu à votre demande {referral.reference}"
    )
    assert text.body.endswith("/orientation/jeune/?qui=jeune&age=16&situation=lycee")
    assert "Inès" not in text.body
    referral.refresh_from_db()
    assert referral.family_informed_at and not referral.family_update_due
    assert not Referral.objects.to_call().exists()
    assert not [m for m in mail.outbox if "Inès" in m.body and not m.to]


def test_under_15_the_parent_s_phone_is_texted(client, seed, texts):
    sent_request(
        client,
        age="12",
        situation="college",
        email="",
        phone="06 00 00 00 01",
        parent_name="Samia",
        parent_contact="07 81 22 33 44",
        parent_consent="on",
    )
    run_follow_up(later(EXPIRY_DAYS))
    assert [t.to for t in texts] == ["+33781223344"] * 2  # the acknowledgement, then this


def test_without_a_provider_staff_call(client, seed, settings):
    settings.SMS_BACKEND = ""
    referral = sent_request(client, email="", phone="0612345678")
    run_follow_up(later(EXPIRY_DAYS))
    assert list(Referral.objects.to_call()) == [referral]


class Brevo(BaseHTTPRequestHandler):
    received = []
    status = 201

    def do_POST(self):
        body = self.rfile.read(int(self.headers["content-length"]))
        Brevo.received.append((self.path, self.headers["api-key"], json.loads(body)))
        self.send_response(Brevo.status)
        self.end_headers()
        self.wfile.write(b'{"messageId": 1}')

    def log_message(self, *args):
        pass


@pytest.fixture
def brevo(settings):
    server = HTTPServer(("127.0.0.1", 0), Brevo)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.SMS_BACKEND = "core.sms.BrevoBackend"
    settings.SMS_API_KEY = "cle-de-test"
    settings.SMS_SENDER = "Mentorat"
    settings.SMS_API_URL = f"http://127.0.0.1:{server.server_port}/v3/transactionalSMS/send"
    Brevo.received, Brevo.status = [], 201
    yield Brevo
    server.shutdown()
    server.server_close()


def test_the_production_backend_posts_to_brevo(brevo):
    assert sms.send_sms("+33612345678", "Bonjour")
    ((path, key, payload),) = brevo.received
    assert path == "/v3/transactionalSMS/send" and key == "cle-de-test"
    assert payload == {
        "sender": "Mentorat",
        "recipient": "33612345678",
        "content": "Bonjour",
        "type": "transactional",
        "unicodeEnabled": True,
    }


def test_a_refusal_leaves_the_family_to_call(client, seed, brevo, caplog):
    brevo.status = 400
    referral = sent_request(client, email="", phone="0612345678")
    run_follow_up(later(EXPIRY_DAYS))
    assert len(brevo.received) == 2  # the acknowledgement, then the expiry: both refused
    assert list(Referral.objects.to_call()) == [referral]
    assert "SMS d’accusé non envoyé (HTTPError)" in caplog.text
    assert "SMS non envoyé (HTTPError)" in caplog.text
    assert "0612345678" not in caplog.text and "+33612345678" not in caplog.text


def test_a_phone_only_request_gets_its_acknowledgement_by_text_once(client, seed, texts):
    referral = sent_request(client, email="", phone="06 12 34 56 78")
    assert [(t.to, t.body) for t in texts] == [
        (
            "+33612345678",
            f"Mentorat Roubaix\u00a0: votre demande {referral.reference} pour Afev est bien "
            "enregistrée. Nous vous dirons sa réponse.",
        )
    ]
    referral.refresh_from_db()
    assert referral.acknowledged_at is not None
    assert not [m for m in mail.outbox if not m.to]  # no e-mail without an address
    send_referral_emails.enqueue(referral.pk)  # a second sweep sends nothing more
    run_tasks()
    assert len(texts) == 1


def test_with_an_address_the_acknowledgement_is_an_email_not_a_text(client, seed, texts):
    sent_request(client, phone="06 12 34 56 78")
    assert texts == []


def test_without_a_provider_a_phone_only_request_is_kept_and_not_acknowledged(
    client, seed, settings
):
    settings.SMS_BACKEND = ""
    referral = sent_request(client, email="", phone="06 12 34 56 78")
    referral.refresh_from_db()
    assert referral.acknowledged_at is None and referral.status == "transmise"
