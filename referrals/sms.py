"""The family's message as a text message, when it gave a phone number only.

Short, nothing but the first name of the association, the reference and one link:
the orientation's results for the same answers (the other associations that fit),
when the request was declined or expired. Sent through `core.sms`; without a
provider, staff call (« à appeler »).
"""

import logging

from django.conf import settings
from django.urls import reverse

from core import sms
from core.french import NBSP
from core.phone import phone_e164

from .alternatives import answers_of, orientation_query
from .follow_up import EXPIRY_DAYS
from .models import Status

logger = logging.getLogger(__name__)


def is_configured():
    return sms.is_configured()


def number(referral):
    """The number to text: the parent's under 15, the person's own otherwise."""
    if referral.needs_parent:
        value = "" if "@" in referral.parent_contact else referral.parent_contact
    else:
        value = referral.phone
    return phone_e164(str(value)) if value else ""


def acknowledgement(referral):
    """« Received »: the first message, as the acknowledgement e-mail is for others."""
    return (
        f"Mentorat Roubaix{NBSP}: votre demande {referral.reference} pour "
        f"{referral.association.name} est bien enregistrée. Nous vous dirons sa réponse."
    )


def send_acknowledgement(referral):
    """Text the acknowledgement to a family that gave a phone number only: True if sent."""
    return _text_the_family(referral, acknowledgement, "SMS d’accusé")


def text(referral, contact_by):
    name, reference = referral.association.name, referral.reference
    if referral.status == Status.TAKEN:
        return (
            f"Mentorat Roubaix{NBSP}: {name} prend en charge votre demande {reference} et vous "
            f"contactera avant le {contact_by}."
        )
    what = (
        f"{name} n’a pas répondu à votre demande {reference}, close après {EXPIRY_DAYS}{NBSP}jours."
        if referral.status == Status.EXPIRED
        else f"{name} ne peut pas prendre votre demande {reference}."
    )
    results = reverse("orientation:volunteer" if referral.is_volunteer else "orientation:young")
    query = orientation_query(referral.kind, answers_of(referral))
    return (
        f"Mentorat Roubaix{NBSP}: {what} D’autres associations vous correspondent{NBSP}: "
        f"{settings.SITE_URL}{results}?{query}"
    )


def send(referral, contact_by):
    """Text the family the association's answer: True if sent."""
    return _text_the_family(referral, lambda referral: text(referral, contact_by), "SMS")


def _text_the_family(referral, body, what):
    """Send `body(referral)`: False without a provider, a number, or on failure (logged
    by the request's reference, never the number)."""
    to = number(referral)
    if not to or not sms.is_configured():
        return False
    try:
        return sms.send_sms(to, body(referral))
    except sms.SmsError as error:
        logger.warning("Demande %s : %s non envoyé (%s).", referral.reference, what, error)
        return False
