"""The association answers a request through its personal link: no account, one click.

Each request e-mail to an association carries a link signed with the site's secret
(`django.core.signing`, a salt of its own): it names one request by its id and
reference, nothing personal, and is valid `LINK_DAYS` days. The page shows the request
and three answers; the status changes at once (`Referral.change_status`, recorded as
made by the association). A request already answered, or finished, no longer takes
an answer; "Déjà en contact" keeps the link open for the outcome.
"""

from datetime import timedelta

from django import forms
from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from associations.models import WAITING_WEEKS, Intake
from core.forms import ScreenedForm

from .models import DeclineReason, Referral, Status

SALT = "referrals.answer-link"
LINK_DAYS = 30
# The answers the link offers while the request waits for one, or is in progress.
ANSWERABLE = {Status.NEW, Status.SENT, Status.IN_CONTACT}
# How far ahead a first meeting may be set: a typing error beyond that.
MEETING_HORIZON = timedelta(days=366)


class Answer:
    TAKEN = "prise-en-charge"
    DECLINED = "ne-peut-pas"
    IN_CONTACT = "deja-en-contact"

    choices = [
        (TAKEN, "Nous prenons en charge"),
        (DECLINED, "Nous ne pouvons pas"),
        (IN_CONTACT, "Déjà en contact"),
    ]
    statuses = {TAKEN: Status.TAKEN, DECLINED: Status.DECLINED, IN_CONTACT: Status.IN_CONTACT}


def answer_token(referral):
    """The signed token of the request's link: its id and reference, and when it was made."""
    return signing.dumps([referral.pk, referral.reference], salt=SALT)


def answer_path(referral):
    return reverse("referrals:answer", args=[answer_token(referral)])


def answer_url(referral):
    return f"{settings.SITE_URL}{answer_path(referral)}"


class LinkExpired(Exception):
    """A genuine link, older than `LINK_DAYS` days."""


def referral_of(token):
    """The request the link names, or None if the link was altered or names no request.

    Raises LinkExpired for a genuine link past its validity.
    """
    try:
        payload = signing.loads(token, salt=SALT, max_age=timedelta(days=LINK_DAYS))
    except signing.SignatureExpired:
        raise LinkExpired from None
    except signing.BadSignature:
        return None
    if not (
        isinstance(payload, list)
        and len(payload) == 2
        and isinstance(payload[0], int)
        and isinstance(payload[1], str)
    ):
        return None
    referral_id, reference = payload
    return (
        Referral.objects.select_related("association", "level", "mentor_profile")
        .filter(pk=referral_id, reference=reference)
        .first()
    )


def is_answerable(referral):
    return not referral.is_anonymised and referral.status in ANSWERABLE


class AnswerForm(ScreenedForm):
    answer = forms.ChoiceField(
        label="Votre réponse",
        choices=Answer.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choisissez une réponse.",
            "invalid_choice": "Choisissez une réponse.",
        },
    )
    first_meeting_on = forms.DateField(
        label="Date du premier rendez-vous (facultatif)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={"invalid": "Indiquez une date, par exemple 15/09/2026."},
    )
    decline_reason = forms.ChoiceField(
        label="Pourquoi (si vous ne pouvez pas)",
        choices=DeclineReason.choices,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choisissez une des raisons proposées."},
    )
    decline_detail = forms.CharField(
        label="Précisez (pour « autre raison »)",
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "300\u00a0caractères au plus."},
    )

    def __init__(self, *args, referral, **kwargs):
        super().__init__(*args, **kwargs)
        self.referral = referral

    def clean_first_meeting_on(self):
        day = self.cleaned_data.get("first_meeting_on")
        today = timezone.localdate()
        if day and not today - timedelta(days=LINK_DAYS) <= day <= today + MEETING_HORIZON:
            raise forms.ValidationError("Indiquez une date proche, dans l’année qui vient.")
        return day

    def clean(self):
        data = super().clean()
        if data.get("answer") == Answer.DECLINED:
            reason = data.get("decline_reason")
            if not reason and "decline_reason" not in self.errors:
                self.add_error("decline_reason", "Choisissez la raison.")
            elif reason == DeclineReason.OTHER and not data.get("decline_detail", "").strip():
                self.add_error("decline_detail", "Précisez la raison en quelques mots.")
        if data.get("answer") == Answer.IN_CONTACT and self.referral.status == Status.IN_CONTACT:
            self.add_error("answer", "Vous l’avez déjà indiqué : dites-nous la suite.")
        return data

    def save(self):
        """Record the answer and move the request on at once, as made by the association.

        False if the request took another answer in the meantime (two clicks at once).
        """
        answer = self.cleaned_data["answer"]
        referral = self.referral
        with transaction.atomic():
            current = (
                Referral.objects.select_for_update()
                .values_list("status", flat=True)
                .get(pk=referral.pk)
            )
            if current not in ANSWERABLE or (
                answer == Answer.IN_CONTACT and current == Status.IN_CONTACT
            ):
                return False
            if answer == Answer.TAKEN:
                referral.first_meeting_on = self.cleaned_data.get("first_meeting_on")
            if answer == Answer.DECLINED:
                referral.decline_reason = self.cleaned_data["decline_reason"]
                referral.decline_detail = (
                    self.cleaned_data.get("decline_detail", "").strip()
                    if referral.decline_reason == DeclineReason.OTHER
                    else ""
                )
            # The family hears of it (`referrals.family`); not of "already in contact".
            referral.family_update_due = answer != Answer.IN_CONTACT
            referral.save(
                update_fields=[
                    "first_meeting_on",
                    "decline_reason",
                    "decline_detail",
                    "family_update_due",
                ]
            )
            referral.change_status(Answer.statuses[answer], by_association=True)
        return True


def proposes_intake(referral):
    """Declined as full: the page proposes to say so on the fiche, until it is said."""
    association = referral.association
    return (
        referral.status == Status.DECLINED
        and referral.decline_reason == DeclineReason.FULL
        and not referral.is_anonymised
        and not (
            association.intake_set_on
            and association.intake_set_on >= timezone.localdate(referral.status_changed_at)
        )
    )


class IntakeForm(ScreenedForm):
    """« Complet »: what the public fiche and the orientation say from now on."""

    intake = forms.ChoiceField(
        label="Votre association est complète. Que doit dire sa fiche publique\u00a0?",
        choices=[(Intake.WAITING_LIST, "Liste d’attente"), (Intake.CLOSED, Intake.CLOSED.label)],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choisissez ce que dit la fiche.",
            "invalid_choice": "Choisissez ce que dit la fiche.",
        },
    )
    weeks = forms.IntegerField(
        label="Attente, en semaines (environ, facultatif)",
        required=False,
        min_value=WAITING_WEEKS[0],
        max_value=WAITING_WEEKS[1],
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "invalid": "Indiquez un nombre de semaines.",
            "min_value": f"Entre {WAITING_WEEKS[0]} et {WAITING_WEEKS[1]}\u00a0semaines.",
            "max_value": f"Entre {WAITING_WEEKS[0]} et {WAITING_WEEKS[1]}\u00a0semaines.",
        },
    )

    def save(self, association):
        association.set_intake(
            self.cleaned_data["intake"], weeks=self.cleaned_data.get("weeks"), by_association=True
        )
