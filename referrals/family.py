"""What the family (or the volunteer) is told after the acknowledgement: the association
takes the request on, cannot, or did not answer in time.

Taken in charge: when the association will call, at the latest. Declined or expired:
the same message proposes the associations that fit the same answers, the declining
one left out, each with one link that sends it the same request, pre-filled
(`alternatives`). A message is due once (`family_update_due`), claimed before it
leaves, so that it never goes twice; a failed one is due again and taken up by
`manage.py follow_up_requests`. A request with a phone number only gets a text
message (`referrals.sms`) if a provider is configured; otherwise, or if it fails,
staff call (the admin's « à appeler »). Logs name the request by its number only.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from associations.models import Collective
from core.french import long_date

from . import sms
from .alternatives import alternatives
from .follow_up import EXPIRY_DAYS
from .language import of_family, site_home
from .models import DeclineReason, Referral, Status

logger = logging.getLogger(__name__)

# An association that takes a request on calls the family within this many days.
CONTACT_DAYS = 7
# The reason given to the family, in words; "autre" stays between the association
# and staff (what it wrote may be about the family).
REASON_WORDS = {
    DeclineReason.FULL: gettext_lazy("toutes ses places sont prises pour le moment"),
    DeclineReason.OUT_OF_SCOPE: gettext_lazy("elle n’accompagne pas ce public"),
    DeclineReason.UNREACHABLE: gettext_lazy("elle n’a pas réussi à vous joindre"),
}
TEMPLATES = {
    Status.TAKEN: "family_taken",
    Status.DECLINED: "family_declined",
    Status.EXPIRED: "family_declined",
}


def contact_by(referral):
    """The day before which the association calls, once it has taken the request on."""
    return timezone.localdate(referral.status_changed_at) + timedelta(days=CONTACT_DAYS)


def message(referral, collective):
    """The family's e-mail for the request's status, in its language (its links too), or
    None if there is none to send."""
    template = TEMPLATES.get(referral.status)
    recipients = referral.acknowledgement_recipients
    if template is None or not recipients:
        return None
    with of_family(referral):
        context = {
            "referral": referral,
            "association": referral.association,
            "collective": collective,
            "site_url": settings.SITE_URL,
            "home_url": site_home(),
            "expired": referral.status == Status.EXPIRED,
            "expiry_days": EXPIRY_DAYS,
            "reason": REASON_WORDS.get(referral.decline_reason, ""),
            "contact_by": long_date(contact_by(referral)),
            "first_meeting": (
                long_date(referral.first_meeting_on) if referral.first_meeting_on else ""
            ),
            "alternatives": [] if referral.status == Status.TAKEN else alternatives(referral),
            "orientation_path": reverse(
                "orientation:volunteer" if referral.is_volunteer else "orientation:young"
            ),
        }
        subject = render_to_string(f"referrals/emails/{template}_subject.txt", context)
        body = render_to_string(f"referrals/emails/{template}.txt", context)
    return EmailMessage(
        subject=" ".join(subject.split()),
        body=body,
        to=recipients,
        reply_to=[collective.contact_email] if collective.contact_email else [],
    )


def text_the_family(referral):
    """A phone only: a text message, if a provider is configured; else it stays due
    (« à appeler »)."""
    if referral.status not in TEMPLATES or not sms.is_configured():
        return False
    if not Referral.objects.filter(pk=referral.pk, family_update_due=True).update(
        family_update_due=False
    ):
        return False
    if not sms.send(referral, contact_by(referral)):
        Referral.objects.filter(pk=referral.pk).update(family_update_due=True)
        return False
    Referral.objects.filter(pk=referral.pk).update(family_informed_at=timezone.now())
    return True


def inform(referral_id):
    """Send the family's message if one is due and nobody else sends it: True if sent.

    A family with a phone number only keeps its message due: staff call it (« à
    appeler »), then say so in the admin.
    """
    referral = (
        Referral.objects.select_related("association", "level", "mentor_profile")
        .filter(pk=referral_id, family_update_due=True, anonymised_at__isnull=True)
        .first()
    )
    if referral is None:
        return False
    if not referral.acknowledgement_recipients:
        return text_the_family(referral)
    claimed = Referral.objects.filter(pk=referral_id, family_update_due=True).update(
        family_update_due=False
    )
    if not claimed:
        return False  # another worker is sending it
    email = message(referral, Collective.objects.load())
    if email is None:
        return False  # no message for this status (staff moved it on since)
    try:
        email.send()
    except Exception as error:  # the class only: a server's message may quote an address
        logger.warning(
            "Demande %s : message à la famille non envoyé (%s).",
            referral.reference,
            type(error).__name__,
        )
        Referral.objects.filter(pk=referral_id).update(family_update_due=True)
        return False
    Referral.objects.filter(pk=referral_id).update(family_informed_at=timezone.now())
    return True
