"""The e-mails of a request, sent by a worker (`referrals.tasks`), never in the visitor's request.

`deliver` sends what a request still waits for: the request itself, to the
association's confirmed addresses (or, without one, to the Collectif, "à
transmettre"), and the acknowledgement. Each is recorded on the request the moment
it has left, and a sending is claimed first (`Referral.objects.claim_for_sending`),
so that no message goes twice, whoever else tries at the same time. A failure
loses nothing: the request is flagged (`email_failed_at`) and `deliver` says whether
to try again. Logs name the request by its reference, never a person or an address.
The acknowledgement is in the family's language, the association's e-mail in French
(`referrals.language`).
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from associations.models import Collective

from . import sms
from .answers import LINK_DAYS, answer_url
from .language import in_french, of_family, site_home
from .models import Referral, Status

logger = logging.getLogger(__name__)


@dataclass
class Outcome:
    """What one sending did, for the worker (no personal data: it is stored with the task)."""

    claimed: bool = False
    sent: int = 0
    failed: bool = False
    retry: bool = False  # a failure that may pass (server down, refused, timeout)

    def as_dict(self):
        return {"claimed": self.claimed, "sent": self.sent, "failed": self.failed}


def _message(template, referral, collective, to, reply_to=()):
    """The e-mail `template`, in the active language, its links too."""
    context = {
        "referral": referral,
        "association": referral.association,
        "collective": collective,
        "site_url": settings.SITE_URL,
        "home_url": site_home(),
        "privacy_path": reverse("pages:privacy"),
        "admin_path": reverse("admin:referrals_referral_change", args=[referral.pk]),
        "retention_months": settings.REFERRAL_RETENTION_MONTHS,
        "answer_url": answer_url(referral),
        "link_days": LINK_DAYS,
    }
    subject = render_to_string(f"referrals/emails/{template}_subject.txt", context)
    return EmailMessage(
        subject=" ".join(subject.split()),
        body=render_to_string(f"referrals/emails/{template}.txt", context),
        to=to,
        reply_to=list(reply_to),
    )


def _send(message, referral, what):
    """Send; on any failure (server down, refused, timeout) log it and say so."""
    try:
        message.send()
    except Exception as error:  # whatever the backend raises, the request is kept
        # The class only: an SMTP server's message may quote the recipient's address.
        logger.warning(
            "Demande %s : %s non envoyé (%s).", referral.reference, what, type(error).__name__
        )
        return False
    return True


def _record_sent(referral, field, outcome):
    """A message has left: its time on the request (`field`), and one more sent.

    With update(): `updated_at` stays, and a staff member's page opened before stays
    valid (the status change that may follow moves it: staff edit the status)."""
    outcome.sent += 1
    now = timezone.now()
    Referral.objects.filter(pk=referral.pk).update(**{field: now})
    setattr(referral, field, now)


def association_recipients(referral):
    """The association's confirmed addresses: no other address ever receives a request."""
    addresses = [contact.email for contact in referral.association.contacts.receiving_requests()]
    return list(dict.fromkeys(addresses))


def notify_association(referral, collective, outcome):
    """The request, to the association's confirmed addresses; then it is "transmise".

    Without a confirmed address it goes to the Collectif, which passes it on by hand
    ("à transmettre"): the request stays "nouvelle" until staff move it on.
    """
    recipients = association_recipients(referral)
    to_collective = not recipients
    if to_collective:
        recipients = [collective.contact_email] if collective.contact_email else []
    if not recipients:
        # Nothing to retry until staff give the Collectif an address.
        logger.warning(
            "Demande %s : ni courriel confirmé pour l’association, ni courriel du Collectif.",
            referral.reference,
        )
        outcome.failed = True
        return
    template = "collective" if to_collective else "association"
    with in_french():
        message = _message(
            template, referral, collective, to=recipients, reply_to=referral.reply_to
        )
    what = "le courriel au Collectif" if to_collective else "le courriel à l’association"
    if not _send(message, referral, what):
        outcome.failed = outcome.retry = True
        return
    if to_collective:
        _record_sent(referral, "collective_notified_at", outcome)
        return
    _record_sent(referral, "association_notified_at", outcome)
    referral.change_status(Status.SENT)


def acknowledge(referral, collective, outcome):
    """The acknowledgement: to the parent under 15, the young person, the professional."""
    with of_family(referral):
        message = _message(
            "acknowledgement",
            referral,
            collective,
            to=referral.acknowledgement_recipients,
            reply_to=[collective.contact_email] if collective.contact_email else (),
        )
    if not _send(message, referral, "l’accusé de réception"):
        outcome.failed = outcome.retry = True
        return
    _record_sent(referral, "acknowledged_at", outcome)


def text_acknowledgement(referral, outcome):
    """A phone number only: the acknowledgement as a text message, once, if a provider is
    configured (a failure is not tried again: the association's answer will be)."""
    if sms.send_acknowledgement(referral):
        _record_sent(referral, "acknowledged_at", outcome)


def deliver(referral_id):
    """Send what request `referral_id` still waits for, if no one else is sending it."""
    outcome = Outcome()
    if not Referral.objects.claim_for_sending(referral_id):
        return outcome  # all sent already, anonymised, or another worker is on it
    outcome.claimed = True
    try:
        referral = Referral.objects.select_related("association", "level", "mentor_profile").get(
            pk=referral_id
        )
        collective = Collective.objects.load()
        if referral.awaits_association_email:
            notify_association(referral, collective, outcome)
        # The mail server just failed: the acknowledgement waits for the next attempt,
        # rather than hold the worker for a second timeout.
        if referral.awaits_acknowledgement and not outcome.retry:
            acknowledge(referral, collective, outcome)
        elif not referral.acknowledgement_recipients and referral.acknowledged_at is None:
            text_acknowledgement(referral, outcome)
    except Exception as error:
        # The class only, as above: a database error may quote what the person typed.
        logger.error("Demande n° %s : envoi interrompu (%s).", referral_id, type(error).__name__)
        outcome.failed = outcome.retry = True
    finally:
        Referral.objects.release_claim(referral_id, failed=outcome.failed)
    return outcome
