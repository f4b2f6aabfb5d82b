"""A request's statuses, and the reasons an association gives when it cannot take one on."""

from django.db import models


class Status(models.TextChoices):
    NEW = "nouvelle", "Nouvelle"
    SENT = "transmise", "Transmise à l’association"
    TAKEN = "prise_en_charge", "Prise en charge"
    CLOSED = "close", "Close"
    DROPPED = "sans_suite", "Sans suite"
    # The association's answers through its personal link (`referrals.answers`).
    IN_CONTACT = "en_contact", "Déjà en contact"
    DECLINED = "declinee", "Déclinée par l’association"
    # No answer 30 days after the request (`manage.py follow_up_requests`).
    EXPIRED = "sans_reponse", "Sans réponse"


# The association has answered: time to first answer ends with the first of these.
ANSWERED = {Status.TAKEN, Status.CLOSED, Status.DROPPED, Status.IN_CONTACT, Status.DECLINED}
# Finished: the retention period starts.
FINISHED = {Status.CLOSED, Status.DROPPED, Status.DECLINED, Status.EXPIRED}
# Still waiting for the association's answer, or for its outcome.
OPEN = {Status.NEW, Status.SENT, Status.IN_CONTACT}


class DeclineReason(models.TextChoices):
    """Why an association cannot take a request on (its answer « Nous ne pouvons pas »)."""

    FULL = "complet", "Complet pour le moment"
    OUT_OF_SCOPE = "hors_public", "Hors de notre public"
    UNREACHABLE = "injoignable", "Personne injoignable"
    OTHER = "autre", "Autre raison"


def reopens(previous, status):
    """A finished request brought back to an open status: staff say why (their note)."""
    return previous in FINISHED and status in OPEN
