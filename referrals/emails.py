"""The two e-mails of a request: to the association, and the acknowledgement to the person.

Each is sent on its own and its success recorded on the request, which is already
saved: a failure loses nothing. The request is flagged (`email_failed_at`) and
`manage.py resend_pending_emails` sends what is still missing. Logs name the
request by its reference, never a person or an address.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from associations.models import Collective

from .models import Status

logger = logging.getLogger(__name__)


def _message(template, referral, collective, to, reply_to=()):
    context = {
        "referral": referral,
        "association": referral.association,
        "collective": collective,
        "site_url": settings.SITE_URL,
        "privacy_path": reverse("pages:privacy"),
        "retention_months": settings.REFERRAL_RETENTION_MONTHS,
    }
    subject = render_to_string(f"referrals/emails/{template}_subject.txt", context)
    return EmailMessage(
        subject=" ".join(subject.split()),
        body=render_to_string(f"referrals/emails/{template}.txt", context),
        to=to,
        reply_to=list(reply_to),
    )


def _send(message, referral, what):
    """Send; on any failure (server down, refused, misconfigured) log it and say so."""
    if not message.to:
        logger.warning("Demande %s : aucun destinataire pour %s.", referral.reference, what)
        return False
    try:
        message.send()
    except Exception as error:  # whatever the backend raises, the request is kept
        # The class only: an SMTP server's message may quote the recipient's address.
        logger.warning(
            "Demande %s : %s non envoyé (%s).", referral.reference, what, type(error).__name__
        )
        return False
    return True


def notify_association(referral, collective):
    """The request, to the association's confirmed addresses; then it is "transmise"."""
    # Only the addresses staff confirmed: a brochure's address may be another association's.
    recipients = [contact.email for contact in referral.association.contacts.receiving_requests()]
    message = _message(
        "association",
        referral,
        collective,
        to=list(dict.fromkeys(recipients)),
        reply_to=[referral.email] if referral.email else (),
    )
    if not _send(message, referral, "le courriel à l’association"):
        return False
    referral.association_notified_at = timezone.now()
    referral.save(update_fields=["association_notified_at"])
    if referral.status == Status.NEW:
        referral.change_status(Status.SENT)
    return True


def acknowledge(referral, collective):
    """The acknowledgement, to the person (and the parent, if they gave an e-mail address)."""
    message = _message(
        "acknowledgement",
        referral,
        collective,
        to=referral.acknowledgement_recipients,
        reply_to=[collective.contact_email] if collective.contact_email else (),
    )
    if not _send(message, referral, "l’accusé de réception"):
        return False
    referral.acknowledged_at = timezone.now()
    referral.save(update_fields=["acknowledged_at"])
    return True


def send_pending(referral):
    """Send what this request still waits for; True if nothing is left to send."""
    collective = Collective.objects.load()
    done = True
    if referral.awaits_association_email:
        done &= notify_association(referral, collective)
    if referral.awaits_acknowledgement:
        done &= acknowledge(referral, collective)
    if not done:
        referral.email_failed_at = timezone.now()
        referral.save(update_fields=["email_failed_at"])
    return done
