"""What staff and the worker ask of the requests: waiting for e-mails, claimed for a
sending, due for anonymisation, awaiting an answer (and, from `follow_up`, to chase,
to call, to expire)."""

from datetime import timedelta

from django.db.models import F, Q
from django.utils import timezone

from core.vocabularies import Seeker

from .follow_up import REMINDER_DAYS, FollowUpQuerySet
from .retention import months_before, retention_months
from .statuses import FINISHED, Status

# A sending claimed longer ago than this was interrupted (no SMTP exchange lasts so long).
STALE_CLAIM = timedelta(minutes=10)
# An association answers within this; beyond, the admin's home lists the request.
# The association then gets its reminder (follow_up): one bound for both.
ANSWER_EXPECTED_WITHIN = timedelta(days=REMINDER_DAYS)
ANSWER_EXPECTED_LABEL = f"{REMINDER_DAYS}\u00a0jours"


class ReferralQuerySet(FollowUpQuerySet):
    def occupying_a_place(self):
        """Young people the association took on: each holds one of its places."""
        return self.filter(kind=Seeker.YOUNG_PERSON, status=Status.TAKEN)

    def awaiting_emails(self):
        """Requests with an e-mail still to send: the request (to the association, or to
        the Collectif when it has no confirmed address), or the acknowledgement."""
        return self.filter(anonymised_at__isnull=True).filter(
            # Once staff move a request on by hand, its e-mail to the association is moot.
            Q(
                association_notified_at__isnull=True,
                collective_notified_at__isnull=True,
                status=Status.NEW,
            )
            | Q(acknowledged_at__isnull=True)
            & (~Q(email="") | Q(parent_contact__contains="@") | ~Q(referent_email=""))
        )

    def to_forward(self):
        """Sent to the Collectif, the association having no confirmed address: staff
        pass them on ("à transmettre") and move them to "transmise"."""
        return self.filter(
            anonymised_at__isnull=True, collective_notified_at__isnull=False, status=Status.NEW
        )

    def awaiting_answer(self, now=None):
        """Passed on (or being passed on) to the association, and still without an answer
        after ANSWER_EXPECTED_WITHIN. Those « à transmettre » wait for staff, not for it."""
        received_before = (now or timezone.now()) - ANSWER_EXPECTED_WITHIN
        return self.filter(
            Q(status=Status.SENT) | Q(status=Status.NEW, collective_notified_at__isnull=True),
            anonymised_at__isnull=True,
            created_at__lt=received_before,
        )

    def claim_for_sending(self, pk):
        """Take the e-mails of request `pk` for one sending: True for exactly one caller.

        One conditional UPDATE: of two workers (or a worker and the admin action) that
        try at once, the database lets one through, and only while something is still
        to send. The claim is released by `release_claim`; a worker stopped dead in the
        middle leaves it, and the request waits for staff rather than risk a second
        copy (the admin action takes over claims older than `STALE_CLAIM`).
        """
        claimed = (
            self.awaiting_emails()
            .filter(pk=pk, email_claimed_at__isnull=True)
            .update(email_claimed_at=timezone.now(), email_attempts=F("email_attempts") + 1)
        )
        return claimed == 1

    def release_claim(self, pk, *, failed):
        """End a sending: failed or not, and `email_failed_at` cleared once all went well."""
        return self.filter(pk=pk).update(
            email_claimed_at=None, email_failed_at=timezone.now() if failed else None
        )

    def with_stale_claims(self):
        return self.filter(email_claimed_at__lt=timezone.now() - STALE_CLAIM)

    def due_for_anonymisation(self, months=None, now=None):
        """Finished `months` months ago, or left open twice as long without any change."""
        months = months or retention_months()
        now = now or timezone.now()
        return self.filter(anonymised_at__isnull=True).filter(
            Q(status__in=FINISHED, closed_at__lt=months_before(now, months))
            | Q(status_changed_at__lt=months_before(now, 2 * months))
        )

    def anonymise(self):
        """Blank every personal field at once; what statistics count is kept."""
        return self.update(
            first_name="",
            email="",
            phone="",
            age=None,
            message="",
            parent_name="",
            parent_contact="",
            staff_note="",
            referent_structure="",
            referent_email="",
            decline_detail="",
            orientation_answers="",
            family_update_due=False,
            anonymised_at=timezone.now(),
            updated_at=timezone.now(),
        )
