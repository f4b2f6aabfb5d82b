"""The request e-mails leave through Django's task queue (django-tasks-db: the tasks are
rows of the project's database, run by `manage.py db_worker`).

A request enqueues `send_referral_emails` once it is saved (`enqueue_emails`, after
the commit): the visitor never waits for a mail server. A failed sending tries again
later (`RETRY_DELAYS`), then waits for staff: the admin's "courriels en attente"
filter and its action, which enqueues again. The task carries the request's id
only, never what the person wrote.
"""

import logging
from datetime import timedelta

from django.db import transaction
from django.tasks import task
from django.utils import timezone

from . import emails, family
from .models import Referral

logger = logging.getLogger(__name__)

# Seconds before each new attempt after a failure: 6 attempts over about 4 h 20, then
# the request waits for staff (filter "courriels en attente", action to try again).
RETRY_DELAYS = (60, 5 * 60, 15 * 60, 60 * 60, 3 * 60 * 60)


@task
def send_referral_emails(referral_id):
    outcome = emails.deliver(referral_id)
    if outcome.failed and outcome.retry:
        attempts = (
            Referral.objects.filter(pk=referral_id).values_list("email_attempts", flat=True).first()
        )
        if attempts is not None and attempts <= len(RETRY_DELAYS):
            delay = timedelta(seconds=RETRY_DELAYS[attempts - 1])
            send_referral_emails.using(run_after=timezone.now() + delay).enqueue(referral_id)
    return outcome.as_dict()


def enqueue_emails(referral_id):
    """Queue the request's e-mails once the current transaction is committed."""
    transaction.on_commit(lambda: _enqueue(referral_id))


def _enqueue(referral_id):
    try:
        send_referral_emails.enqueue(referral_id)
    except Exception as error:  # the request is saved: never fail the visitor for this
        logger.error(
            "Demande n° %s : courriels non mis en file (%s) ; enqueue_pending_emails les "
            "reprendra.",
            referral_id,
            type(error).__name__,
        )


@task
def send_family_message(referral_id):
    """The family's message about the association's answer, or the expiry (`family`)."""
    return {"sent": family.inform(referral_id)}


def enqueue_family_message(referral_id):
    """Queue the family's message once the current transaction is committed; a message
    that could not be queued is taken up by `manage.py follow_up_requests`."""
    transaction.on_commit(lambda: _enqueue_family_message(referral_id))


def _enqueue_family_message(referral_id):
    try:
        send_family_message.enqueue(referral_id)
    except Exception as error:
        logger.error(
            "Demande n° %s : message à la famille non mis en file (%s).",
            referral_id,
            type(error).__name__,
        )
