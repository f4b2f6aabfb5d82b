"""Reminders, chasing and expiry of requests an association does not answer (issue 12).

`manage.py follow_up_requests` runs with time moved forward: the test passes the
moment the command sees (`follow_up(now=…)`), or moves the request's dates back. No
sleep anywhere.
"""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from associations.models import Contact
from referrals.follow_up import CHASE_DAYS, EXPIRY_DAYS, REMINDER_DAYS
from referrals.models import Referral, Status
from referrals.reminders import follow_up

from .helpers import ANSWER_LINK, after_commit, page_text, path_of, run_follow_up, sent_request

pytestmark = pytest.mark.django_db

YOUNG_FORM = reverse("referrals:young", args=["afev"])
CHANGELIST = reverse("admin:referrals_referral_changelist")


@pytest.fixture
def seed(seed):
    Contact.objects.filter(association__slug="afev").update(email_confirmed_at=timezone.now())


def days_later(days):
    return timezone.now() + timedelta(days=days, minutes=1)


class TestReminder:
    def test_one_reminder_after_a_week_with_a_fresh_link(self, client, seed):
        referral = sent_request(client)
        assert run_follow_up(days_later(REMINDER_DAYS - 1)).reminded == 0
        assert not mail.outbox
        report = run_follow_up(days_later(REMINDER_DAYS))
        assert report.reminded == 1
        (reminder,) = mail.outbox
        assert reminder.to == ["lille@afev.org"]
        assert reminder.subject == f"Relance : mise en relation {referral.reference} sans réponse"
        assert reminder.reply_to == ["ines@example.org"]
        assert "Prénom : Inès" in reminder.body
        (link,) = ANSWER_LINK.findall(reminder.body)
        assert client.get(path_of(link)).status_code == 200
        # Only one, however often the command runs.
        mail.outbox.clear()
        assert run_follow_up(days_later(REMINDER_DAYS + 1)).reminded == 0
        assert run_follow_up(days_later(REMINDER_DAYS + 1)).reminded == 0
        assert not mail.outbox

    def test_an_answered_request_is_not_reminded(self, client, seed):
        referral = sent_request(client)
        referral.change_status(Status.IN_CONTACT)
        assert run_follow_up(days_later(REMINDER_DAYS)).reminded == 0
        assert run_follow_up(days_later(EXPIRY_DAYS)).expired == 0
        assert not mail.outbox

    def test_a_request_the_collectif_forwards_is_not_reminded_by_email(self, client, seed):
        Contact.objects.filter(association__slug="afev").update(email_confirmed_at=None)
        sent_request(client)
        assert run_follow_up(days_later(REMINDER_DAYS)).reminded == 0

    def test_a_failed_reminder_is_tried_again_next_day(self, client, seed, settings):
        referral = sent_request(client)
        settings.MAILERS = {"default": {"BACKEND": "tests.test_referrals.FailingBackend"}}
        assert run_follow_up(days_later(REMINDER_DAYS)).reminded == 0
        referral.refresh_from_db()
        assert referral.reminded_at is None
        settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
        assert run_follow_up(days_later(REMINDER_DAYS + 1)).reminded == 1


class TestChasing:
    def test_after_two_weeks_staff_see_it_and_get_one_digest_a_week(
        self, client, seed, staff_client, staff_member
    ):
        referral = sent_request(client)
        later = days_later(CHASE_DAYS)
        Referral.objects.filter(pk=referral.pk).update(
            created_at=referral.created_at - timedelta(days=CHASE_DAYS, minutes=1)
        )
        # In « à relancer ».
        listed = staff_client.get(CHANGELIST, {"a-relancer": "oui"}).context["cl"].result_list
        assert [r.pk for r in listed] == [referral.pk]
        assert "À relancer (sans réponse de l’association depuis 14 jours)" in page_text(
            staff_client.get(CHANGELIST)
        )
        mail.outbox.clear()
        report = follow_up(now=later)
        assert report.digest == 1
        digest = [m for m in mail.outbox if m.to == ["camille@example.org"]]
        (digest,) = digest
        assert digest.subject == "Mentorat Roubaix : 1 demande à relancer"
        assert referral.reference in digest.body and "Afev" in digest.body
        assert "?a-relancer=oui" in digest.body
        # Nothing personal in the digest.
        assert "Inès" not in digest.body and "ines@example.org" not in digest.body
        # Weekly: not again tomorrow, again in a week.
        mail.outbox.clear()
        assert follow_up(now=later + timedelta(days=1)).digest == 0
        assert not [m for m in mail.outbox if m.to == ["camille@example.org"]]
        assert follow_up(now=later + timedelta(days=7, minutes=1)).digest == 1

    def test_no_digest_without_anything_to_chase(self, client, seed, staff_member):
        sent_request(client)
        assert follow_up(now=days_later(CHASE_DAYS - 1)).digest == 0
        assert [m.to for m in mail.outbox] == [["lille@afev.org"]]  # the reminder only


class TestExpiry:
    def test_after_30_days_it_expires_and_the_family_gets_other_associations(self, client, seed):
        referral = sent_request(client)
        run_follow_up(days_later(REMINDER_DAYS))
        (link,) = ANSWER_LINK.findall(mail.outbox[0].body)
        assert run_follow_up(days_later(EXPIRY_DAYS - 1)).expired == 0
        mail.outbox.clear()
        report = run_follow_up(days_later(EXPIRY_DAYS))
        assert report.expired == 1
        referral.refresh_from_db()
        assert referral.status == Status.EXPIRED and referral.closed_at is not None
        assert referral.answered_at is None  # no answer: not counted as one
        last = referral.status_changes.last()
        assert (last.previous_status, last.status, last.author) == (
            Status.SENT,
            Status.EXPIRED,
            "le site (automatique)",
        )
        (to_family,) = [m for m in mail.outbox if m.to == ["ines@example.org"]]
        assert "Afev n’a pas répondu à votre demande" in to_family.body
        links = re.findall(r"^- (.+) : https?://\S+?(/associations/\S+)$", to_family.body, re.M)
        assert links and "Afev" not in [name for name, _ in links]
        # The link of the request now says it is over.
        words = page_text(client.get(path_of(link)))
        assert "Cette demande est close" in words and "sans réponse pendant 30" in words
        # Idempotent: nothing more the next day.
        mail.outbox.clear()
        assert run_follow_up(days_later(EXPIRY_DAYS + 1)).expired == 0
        assert not [m for m in mail.outbox if m.to == ["ines@example.org"]]

    def test_an_answer_at_the_same_moment_wins(self, client, seed):
        from referrals.reminders import expire

        referral = sent_request(client)
        stale = Referral.objects.get(pk=referral.pk)
        referral.change_status(Status.TAKEN)
        assert expire(stale) is False
        referral.refresh_from_db()
        assert referral.status == Status.TAKEN

    def test_a_phone_only_family_is_to_call(self, client, seed, staff_client):
        referral = sent_request(client, email="", phone="0612345678")
        report = run_follow_up(days_later(EXPIRY_DAYS))
        assert report.expired == 1
        assert not [m for m in mail.outbox if "06" in " ".join(m.to)]
        listed = staff_client.get(CHANGELIST, {"a-appeler": "oui"}).context["cl"].result_list
        assert [r.pk for r in listed] == [referral.pk]
        # Not queued again and again: staff call.
        assert run_follow_up(days_later(EXPIRY_DAYS + 1)).family_messages == 0
        with after_commit():
            staff_client.post(
                CHANGELIST,
                {"action": "family_called", "_selected_action": [referral.pk]},
            )
        referral.refresh_from_db()
        assert not referral.family_update_due and referral.family_informed_at is not None
        assert not staff_client.get(CHANGELIST, {"a-appeler": "oui"}).context["cl"].result_list

    def test_a_failed_family_message_goes_again_the_next_day(self, client, seed, settings):
        referral = sent_request(client)
        settings.MAILERS = {"default": {"BACKEND": "tests.test_referrals.FailingBackend"}}
        run_follow_up(days_later(EXPIRY_DAYS))
        referral.refresh_from_db()
        assert referral.family_update_due
        settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
        report = run_follow_up(days_later(EXPIRY_DAYS + 1))
        assert report.family_messages == 1
        assert [m for m in mail.outbox if m.to == ["ines@example.org"]]


def test_the_command_says_what_it_did(client, seed):
    sent_request(client)
    out = StringIO()
    call_command("follow_up_requests", stdout=out)
    assert out.getvalue().strip() == (
        "Relances envoyées : 0. Récapitulatif à l’équipe : non envoyé. Demandes expirées : 0. "
        "Messages aux familles remis en file : 0."
    )
