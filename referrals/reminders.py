"""The daily follow-up of requests that wait for an answer (`manage.py follow_up_requests`).

Each step is recorded on the request before its e-mail leaves (`reminded_at`,
`digested_at`, the status), so that running the command twice, or two at once, sends
nothing twice. What a step counts is said in `referrals.follow_up`. Logs name
requests by their reference, never a person.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from associations.models import Collective

from . import tasks
from .answers import LINK_DAYS, answer_url
from .emails import association_recipients
from .follow_up import CHASE_DAYS, DIGEST_DAYS, EXPIRY_DAYS, UNANSWERED, days_before
from .language import in_french
from .models import Referral, Status

logger = logging.getLogger(__name__)

# A family message queued this long ago and still due has failed, or lost its task.
QUEUED_GRACE = timedelta(hours=1)


@dataclass
class Report:
    reminded: int = 0
    digest: int = 0  # requests listed in the digest sent, if one was
    expired: int = 0
    family_messages: int = 0  # queued again (a failed or lost one)

    def __str__(self):
        return (
            f"Relances envoyées : {self.reminded}. Récapitulatif à l’équipe : "
            f"{f'{self.digest} demande(s)' if self.digest else 'non envoyé'}. "
            f"Demandes expirées : {self.expired}. Messages aux familles remis en file : "
            f"{self.family_messages}."
        )


def _send(message, what, reference=""):
    try:
        message.send()
    except Exception as error:  # the class only: a server's message may quote an address
        logger.warning("%s %s : non envoyé (%s).", what, reference, type(error).__name__)
        return False
    return True


def remind(referral, collective):
    """One reminder to the association, with a fresh link: True if sent."""
    now = timezone.now()
    if not Referral.objects.filter(pk=referral.pk, reminded_at__isnull=True).update(
        reminded_at=now
    ):
        return False  # another run took it
    recipients = association_recipients(referral)
    context = {
        "referral": referral,
        "association": referral.association,
        "collective": collective,
        "answer_url": answer_url(referral),
        "link_days": LINK_DAYS,
        "site_url": settings.SITE_URL,
    }
    message = EmailMessage(
        subject=" ".join(
            render_to_string("referrals/emails/reminder_subject.txt", context).split()
        ),
        body=render_to_string("referrals/emails/reminder.txt", context),
        to=recipients,
        reply_to=referral.reply_to,
    )
    if not recipients or not _send(message, "Relance de la demande", referral.reference):
        Referral.objects.filter(pk=referral.pk).update(reminded_at=None)
        return False
    return True


def staff_recipients(collective):
    """Staff who follow the requests (active, with an address); else the Collectif's."""
    users = (
        get_user_model()
        .objects.with_perm(
            "referrals.change_referral",
            include_superusers=False,
            backend="django.contrib.auth.backends.ModelBackend",
        )
        .filter(is_active=True)
        .exclude(email="")
        .order_by("email")
    )
    addresses = list(dict.fromkeys(users.values_list("email", flat=True)))
    return addresses or ([collective.contact_email] if collective.contact_email else [])


def send_digest(collective, now):
    """Once a week, the requests to chase, to staff: how many were listed (0: none sent)."""
    if Referral.objects.filter(digested_at__gt=days_before(now, DIGEST_DAYS)).exists():
        return 0
    to_chase = list(
        Referral.objects.to_chase(now).select_related("association").order_by("created_at")
    )
    recipients = staff_recipients(collective)
    if not to_chase or not recipients:
        return 0
    context = {
        "referrals": to_chase,
        "chase_days": CHASE_DAYS,
        "expiry_days": EXPIRY_DAYS,
        "site_url": settings.SITE_URL,
        "changelist_path": reverse("admin:referrals_referral_changelist"),
    }
    message = EmailMessage(
        subject=" ".join(render_to_string("referrals/emails/digest_subject.txt", context).split()),
        body=render_to_string("referrals/emails/digest.txt", context),
        to=recipients,
    )
    if not _send(message, "Récapitulatif hebdomadaire"):
        return 0
    Referral.objects.filter(pk__in=[r.pk for r in to_chase]).update(digested_at=now)
    return len(to_chase)


def expire(referral):
    """« Sans réponse »: the request ends, and the family is told what else fits."""
    with transaction.atomic():
        # The association may be answering at this very moment: its answer wins.
        current = Referral.objects.select_for_update().filter(pk=referral.pk)
        if current.values_list("status", flat=True).first() not in UNANSWERED:
            return False
        referral.change_status(Status.EXPIRED)
        current.update(family_update_due=True)
    tasks.enqueue_family_message(referral.pk)
    return True


def follow_up(now=None):
    """Every step due today; what it did. The association's and staff's e-mails are in
    French, whatever the command's language; the family's messages go through its task."""
    with in_french():
        return _follow_up(now)


def _follow_up(now):
    now = now or timezone.now()
    collective = Collective.objects.load()
    report = Report()
    for referral in Referral.objects.due_for_reminder(now).select_related("association"):
        report.reminded += remind(referral, collective)
    report.digest = send_digest(collective, now)
    for referral in Referral.objects.due_for_expiry(now).select_related("association"):
        report.expired += expire(referral)
    # A family message that failed, or whose task was lost, goes again (not one that
    # was just queued).
    waiting = Referral.objects.filter(
        family_update_due=True,
        anonymised_at__isnull=True,
        status_changed_at__lt=now - QUEUED_GRACE,
    ).exclude(pk__in=Referral.objects.to_call().values("pk"))
    for referral_id in waiting.values_list("pk", flat=True):
        tasks.send_family_message.enqueue(referral_id)
        report.family_messages += 1
    return report
