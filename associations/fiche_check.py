"""Once a month, each association checks its own fiche through a personal link.

The link (signed, salt of its own, valid `LINK_DAYS` days, no account) is sent to each
address of the association (`manage.py send_fiche_checks`) and names the association
and that address, nothing else. Its page shows what families see — capacity and
places taken, contacts, meeting places, intake — and asks the reader to confirm that
the address it came to is the association's (it then receives requests: this is how
an address becomes confirmed), to say whether it takes new requests, and « Tout est
à jour » in one click. The public page then says « Informations vérifiées par
l’association le … »; staff see the fiches not checked for `STALE_MONTHS` months.
"""

import logging
from datetime import timedelta

from django import forms
from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from core.forms import ScreenedForm

from .models import WAITING_WEEKS, Association, Collective, Contact, Intake

logger = logging.getLogger(__name__)

SALT = "associations.fiche-check"
LINK_DAYS = 35  # a month, and a few days to open it
EVERY_DAYS = 28  # one link a month, however often the command runs
STALE_MONTHS = 6
UNCHANGED = ""


def check_token(contact):
    return signing.dumps([contact.association_id, contact.pk], salt=SALT)


def check_url(contact):
    return settings.SITE_URL + reverse("associations:fiche_check", args=[check_token(contact)])


class LinkExpired(Exception):
    pass


def contact_of(token):
    """The contact (with its association) the link was sent to; None if altered or gone."""
    try:
        payload = signing.loads(token, salt=SALT, max_age=timedelta(days=LINK_DAYS))
    except signing.SignatureExpired:
        raise LinkExpired from None
    except signing.BadSignature:
        return None
    if not (
        isinstance(payload, list) and len(payload) == 2 and all(isinstance(v, int) for v in payload)
    ):
        return None
    association_id, contact_id = payload
    contact = (
        Contact.objects.filter(pk=contact_id, association_id=association_id)
        .exclude(email="")
        .first()
    )
    if contact is None:
        return None
    contact.association = (
        Association.objects.with_places()
        .prefetch_related("contacts", "locations")
        .get(pk=association_id)
    )
    return contact


class CheckForm(ScreenedForm):
    confirm_email = forms.BooleanField(required=False)
    intake = forms.ChoiceField(
        label="Accueillez-vous de nouveaux jeunes\u00a0?",
        choices=[(UNCHANGED, "Comme indiqué ci-dessus"), *Intake.choices],
        required=False,
        error_messages={"invalid_choice": "Choisissez une des réponses proposées."},
    )
    weeks = forms.IntegerField(
        label="Attente, en semaines (environ, pour une liste d’attente)",
        required=False,
        min_value=WAITING_WEEKS[0],
        max_value=WAITING_WEEKS[1],
        error_messages={
            "invalid": "Indiquez un nombre de semaines.",
            "min_value": f"Entre {WAITING_WEEKS[0]} et {WAITING_WEEKS[1]}\u00a0semaines.",
            "max_value": f"Entre {WAITING_WEEKS[0]} et {WAITING_WEEKS[1]}\u00a0semaines.",
        },
    )

    def __init__(self, *args, contact, **kwargs):
        super().__init__(*args, **kwargs)
        self.contact = contact
        self.fields["confirm_email"].label = (
            f"{contact.email} est bien une adresse de {contact.association.name}\u00a0: "
            "les demandes des familles peuvent y arriver."
        )

    def save(self):
        """« Tout est à jour »: the date, the address confirmed if ticked, the intake."""
        contact, association = self.contact, self.contact.association
        with transaction.atomic():
            if self.cleaned_data["confirm_email"] and not contact.email_is_confirmed:
                contact.confirm_email(by=None)
                contact.save(update_fields=["email_confirmed_at", "email_confirmed_by"])
            if intake := self.cleaned_data.get("intake"):
                association.set_intake(
                    intake, weeks=self.cleaned_data.get("weeks"), by_association=True
                )
            # Checked by the association: the fiche's verification date too (the open
            # data's date_maj). Saved, not updated: the directory's cache follows, and a
            # staff form opened before is stale (its « mis à jour le » moves).
            association.checked_by_association_on = association.verified_on = timezone.localdate()
            association.save(
                update_fields=["checked_by_association_on", "verified_on", "updated_at"]
            )


def due_for_check(today):
    return Association.objects.exclude(
        fiche_check_sent_on__gt=today - timedelta(days=EVERY_DAYS)
    ).order_by("name")


def send_checks(today):
    """The month's links: (associations reached, e-mails sent). Addresses the team
    withheld (copied from another association) get none."""
    reached = sent = 0
    collective = Collective.objects.load()
    for association in due_for_check(today).prefetch_related("contacts"):
        contacts = [c for c in association.contacts.all() if c.email and not c.email_withheld]
        if not contacts:
            continue
        # Recorded first: a second run never sends the month's link twice.
        if (
            not Association.objects.filter(pk=association.pk)
            .exclude(fiche_check_sent_on__gt=today - timedelta(days=EVERY_DAYS))
            .update(fiche_check_sent_on=today)
        ):
            continue
        reached += 1
        for contact in contacts:
            context = {
                "association": association,
                "contact": contact,
                "check_url": check_url(contact),
                "collective": collective,
                "site_url": settings.SITE_URL,
            }
            message = EmailMessage(
                subject=f"Mentorat Roubaix : la fiche de {association.name} est-elle à jour ?",
                body=render_to_string("associations/emails/fiche_check.txt", context),
                to=[contact.email],
            )
            try:
                message.send()
            except Exception as error:  # the class only, never the address
                logger.warning(
                    "Vérification de la fiche %s : courriel non envoyé (%s).",
                    association.slug,
                    type(error).__name__,
                )
                continue
            sent += 1
    return reached, sent
