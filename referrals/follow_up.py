"""How long an association has to answer a request, and the requests each step concerns.

Counted from the request: after `REMINDER_DAYS` days without an answer the association
gets one reminder; after `CHASE_DAYS` staff chase it (« à relancer », and the weekly
digest); after `EXPIRY_DAYS` it expires (« sans réponse ») and the family is told.
`manage.py follow_up_requests` does it, once a day (`referrals.reminders`).
"""

from datetime import timedelta

from django.db import models
from django.utils import timezone

from .statuses import Status

REMINDER_DAYS = 7
CHASE_DAYS = 14
EXPIRY_DAYS = 30
DIGEST_DAYS = 7  # one digest to staff a week
# Waiting for the association's first answer.
UNANSWERED = [Status.NEW, Status.SENT]


def days_before(now, days):
    return (now or timezone.now()) - timedelta(days=days)


class FollowUpQuerySet(models.QuerySet):
    def unanswered(self):
        return self.filter(anonymised_at__isnull=True, status__in=UNANSWERED)

    def due_for_reminder(self, now=None):
        """Sent to the association's confirmed addresses a week ago, never reminded."""
        return self.unanswered().filter(
            status=Status.SENT,
            association_notified_at__isnull=False,
            reminded_at__isnull=True,
            created_at__lte=days_before(now, REMINDER_DAYS),
        )

    def to_chase(self, now=None):
        """« À relancer »: two weeks without an answer; staff call the association."""
        return self.unanswered().filter(created_at__lte=days_before(now, CHASE_DAYS))

    def due_for_expiry(self, now=None):
        return self.unanswered().filter(created_at__lte=days_before(now, EXPIRY_DAYS))

    def to_call(self):
        """« À appeler »: the family's message is due, and they gave no address."""
        return self.filter(
            anonymised_at__isnull=True,
            family_update_due=True,
            email="",
            referent_email="",
        ).exclude(parent_contact__contains="@")
