"""The family's message as a text message, when it gave a phone number only.

Short, nothing but the first name of the association, the reference and one link:
the orientation's results for the same answers (the other associations that fit),
when the request was declined or expired. Sent through `core.sms`; without a
provider, staff call (« à appeler »).
"""

import logging

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from core import sms
from core.french import long_date
from core.phone import phone_e164

from .alternatives import answers_of, orientation_query
from .follow_up import EXPIRY_DAYS
from .language import of_family
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
    return _(
        "Mentorat Roubaix : votre demande %(reference)s pour %(association)s est bien "
        "enregistrée. Nous vous dirons sa réponse."
    ) % {"reference": referral.reference, "association": referral.association.name}


def send_acknowledgement(referral):
    """Text the acknowledgement to a family that gave a phone number only: True if sent."""
    return _text_the_family(referral, acknowledgement, "SMS d’accusé")


def text(referral, contact_by):
    """The association's answer, in the active language; `contact_by` is a date."""
    words = {
        "association": referral.association.name,
        "reference": referral.reference,
        "date": long_date(contact_by),
        "days": EXPIRY_DAYS,
    }
    if referral.status == Status.TAKEN:
        return (
            _(
                "Mentorat Roubaix : %(association)s prend en charge votre demande "
                "%(reference)s et vous contactera avant le %(date)s."
            )
            % words
        )
    results = reverse("orientation:volunteer" if referral.is_volunteer else "orientation:young")
    query = orientation_query(referral.kind, answers_of(referral))
    words["link"] = f"{settings.SITE_URL}{results}?{query}"
    if referral.status == Status.EXPIRED:
        return (
            _(
                "Mentorat Roubaix : %(association)s n’a pas répondu à votre demande "
                "%(reference)s, close après %(days)s jours. D’autres associations vous "
                "correspondent : %(link)s"
            )
            % words
        )
    return (
        _(
            "Mentorat Roubaix : %(association)s ne peut pas prendre votre demande "
            "%(reference)s. D’autres associations vous correspondent : %(link)s"
        )
        % words
    )


def send(referral, contact_by):
    """Text the family the association's answer (`contact_by`: a date): True if sent."""
    return _text_the_family(referral, lambda referral: text(referral, contact_by), "SMS")


def _text_the_family(referral, body, what):
    """Send `body(referral)`: False without a provider, a number, or on failure (logged
    by the request's reference, never the number)."""
    to = number(referral)
    if not to or not sms.is_configured():
        return False
    with of_family(referral):
        words = body(referral)
    try:
        return sms.send_sms(to, words)
    except sms.SmsError as error:
        logger.warning("Demande %s : %s non envoyé (%s).", referral.reference, what, error)
        return False
