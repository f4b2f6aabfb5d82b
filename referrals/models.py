"""Requests to be put in touch with an association, and their follow-up by staff.

A request is saved before any e-mail is sent; a worker then sends its e-mails
(`referrals.tasks`), each recorded here once sent, so that a failed sending is seen
and retried and none is sent twice. Every status change is recorded with who made
it and when. Personal data stay here, in the e-mails and nowhere else, until
`purge_referrals` anonymises the request.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import IntegrityError, models, transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone, translation

from associations.models import Association, Level, MentorProfile
from core.cache import directory_changed
from core.languages import FRENCH
from core.phone import PhoneNumberField, phone_display
from core.vocabularies import ANY_FORM_AGE, PARENTAL_CONSENT_AGE, Seeker

from .querysets import STALE_CLAIM, ReferralQuerySet
from .statuses import ANSWERED, FINISHED, DeclineReason, Status

# Readable on the phone and on paper: no 0/O, 1/I/L, nor U. 30 symbols, 8 drawn at random:
# 6.5 × 10¹¹ references, so that none can be guessed (and none shows a request anyway).
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
REFERENCE_PREFIX = "MR"


def new_reference():
    """A reference such as MR-7K4P-2Q9D."""
    symbols = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"{REFERENCE_PREFIX}-{symbols[:4]}-{symbols[4:]}"


def count_places_taken(association_ids):
    """Count again the places the requests hold in these associations (`places_taken`)."""
    taken = (
        Referral.objects.occupying_a_place()
        .filter(association=OuterRef("pk"))
        .order_by()
        .values("association")
        .annotate(count=Count("pk"))
        .values("count")
    )
    Association.objects.filter(pk__in=association_ids).update(
        places_taken=Coalesce(Subquery(taken), 0)
    )
    # An update sends no signal: the waiting lists the orientation cached may change.
    directory_changed()


class Referral(models.Model):
    Status = Status

    reference = models.CharField("référence", max_length=12, unique=True, editable=False)
    kind = models.CharField("demande de", max_length=10, choices=Seeker)
    association = models.ForeignKey(
        Association, on_delete=models.PROTECT, related_name="referrals", verbose_name="association"
    )
    status = models.CharField("statut", max_length=20, choices=Status, default=Status.NEW)

    # Who asks, and how to reach them.
    first_name = models.CharField("prénom", max_length=60)
    email = models.EmailField("courriel", blank=True)
    phone = PhoneNumberField("téléphone", blank=True)
    age = models.PositiveSmallIntegerField(
        "âge",
        null=True,
        validators=[MinValueValidator(ANY_FORM_AGE[0]), MaxValueValidator(ANY_FORM_AGE[1])],
    )
    level = models.ForeignKey(
        Level,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="classe ou situation du jeune",
    )
    mentor_profile = models.ForeignKey(
        MentorProfile,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="situation du bénévole",
    )
    message = models.TextField("message", blank=True)
    parent_name = models.CharField("nom du parent", max_length=120, blank=True)
    # An e-mail address as typed, or a phone number in E.164 (`forms.parent_contact`).
    parent_contact = models.CharField("courriel ou téléphone du parent", max_length=254, blank=True)
    parent_consent = models.BooleanField("accord du parent", default=False)
    consented_at = models.DateTimeField("accord donné le", default=timezone.now)
    # A professional who accompanies the young person (centre social, CPE, Mission locale…).
    referent_structure = models.CharField("structure du professionnel", max_length=120, blank=True)
    referent_email = models.EmailField("courriel professionnel", blank=True)
    # One request per filled form: the form's one-time token (a double click, a reload).
    submission_token = models.CharField(
        "jeton du formulaire", max_length=64, unique=True, null=True, blank=True, editable=False
    )

    # The language the form was written in (its address: /ar/…, /en/…): every message
    # to the family is in it; the association's are in French, saying which it was.
    language = models.CharField(
        "langue de la demande",
        max_length=5,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        editable=False,
    )

    # Follow-up.
    created_at = models.DateTimeField("reçue le", default=timezone.now, db_index=True)
    status_changed_at = models.DateTimeField("statut changé le", default=timezone.now)
    answered_at = models.DateTimeField(
        "première réponse le",
        null=True,
        blank=True,
        help_text="Premier passage à « prise en charge », « close » ou « sans suite ».",
    )
    closed_at = models.DateTimeField("terminée le", null=True, blank=True)
    association_notified_at = models.DateTimeField(
        "transmise par courriel le", null=True, blank=True
    )
    collective_notified_at = models.DateTimeField(
        "envoyée au Collectif (à transmettre) le",
        null=True,
        blank=True,
        help_text="L’association n’avait pas de courriel confirmé : la demande est allée au "
        "Collectif, qui la transmet.",
    )
    acknowledged_at = models.DateTimeField("accusé de réception envoyé le", null=True, blank=True)
    email_failed_at = models.DateTimeField("dernier échec d’envoi", null=True, blank=True)
    email_attempts = models.PositiveSmallIntegerField("tentatives d’envoi", default=0)
    email_claimed_at = models.DateTimeField("envoi commencé le", null=True, blank=True)
    staff_note = models.TextField(
        "note de l’équipe", blank=True, help_text="Visible de l’équipe seulement."
    )
    # The association's answer through its personal link (`referrals.answers`).
    decline_reason = models.CharField(
        "raison du refus", max_length=20, choices=DeclineReason, blank=True
    )
    decline_detail = models.CharField(
        "précision sur le refus",
        max_length=300,
        blank=True,
        help_text="Écrite par l’association (« autre raison ») ; effacée avec la demande.",
    )
    first_meeting_on = models.DateField("premier rendez-vous prévu le", null=True, blank=True)
    # The orientation's answers the request came with (`referrals.alternatives`).
    orientation_answers = models.CharField(
        "réponses à l’orientation", max_length=1000, blank=True, editable=False
    )
    # Sent from the family's message after a refusal or an expiry (`alternatives`).
    resent = models.BooleanField("renvoyée à une autre association", default=False)
    # The family is told of each answer, and of the expiry (`referrals.family`).
    family_update_due = models.BooleanField("message à la famille à envoyer", default=False)
    family_informed_at = models.DateTimeField("famille informée le", null=True, blank=True)
    # Follow-up of a silent association (`referrals.reminders`).
    reminded_at = models.DateTimeField(
        "association relancée par courriel le", null=True, blank=True
    )
    digested_at = models.DateTimeField(
        "dans le récapitulatif de l’équipe du", null=True, blank=True
    )
    anonymised_at = models.DateTimeField("anonymisée le", null=True, blank=True)
    # Moves with every save and status change, not with the worker's e-mail bookkeeping:
    # a staff form opened before it is stale (core.admin_locking.OptimisticLockMixin).
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "demande de mise en relation"
        verbose_name_plural = "demandes de mise en relation"
        permissions = [("view_statistics", "Peut voir les statistiques des mises en relation")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(email="")
                | ~Q(phone="")
                | ~Q(referent_email="")
                | Q(anonymised_at__isnull=False),
                name="referral_reachable",
                violation_error_message="Indiquez un courriel ou un téléphone.",
            ),
            models.CheckConstraint(
                condition=Q(referent_structure="", referent_email="")
                | ~Q(referent_structure="") & ~Q(referent_email=""),
                name="referral_referent_complete",
                violation_error_message="Indiquez la structure et le courriel professionnel.",
            ),
            models.CheckConstraint(
                condition=Q(age__isnull=True)
                | Q(age__gte=PARENTAL_CONSENT_AGE)
                | ~Q(parent_name="") & ~Q(parent_contact="") & Q(parent_consent=True),
                name="referral_parent_of_a_child_under_15",
                violation_error_message="Avant 15 ans, le nom, le contact et l’accord d’un "
                "parent sont nécessaires.",
            ),
            models.CheckConstraint(
                condition=Q(kind=Seeker.YOUNG_PERSON, mentor_profile__isnull=True)
                | Q(kind=Seeker.VOLUNTEER, level__isnull=True),
                name="referral_situation_of_its_kind",
                violation_error_message="La situation ne correspond pas au type de demande.",
            ),
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="referral_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(language__in=[code for code, _ in settings.LANGUAGES]),
                name="referral_language_valid",
            ),
        ]

    def __str__(self):
        return self.reference

    def save(self, *args, **kwargs):
        """Save; a new request draws its reference and opens its history.

        The status is not changed by saving: `change_status` is its only writer.
        """
        if not self._state.adding:
            return super().save(*args, **kwargs)
        self.reference = self.reference or new_reference()
        for attempt in range(3):
            try:
                with transaction.atomic():
                    super().save(*args, **kwargs)
                    self.status_changes.create(previous_status="", status=self.status)
                break
            except IntegrityError:
                # Two requests drew the same reference (one chance in 10¹¹): draw again.
                if attempt == 2 or not self._reference_taken():
                    raise
                self.reference = new_reference()
        if self.holds_a_place:
            count_places_taken([self.association_id])

    def _reference_taken(self):
        return Referral.objects.filter(reference=self.reference).exists()

    def change_status(self, status, *, by=None, by_association=False):
        """Move the request to `status`, record who did it (None: the site) and when.

        `by_association`: the association itself, through its personal link. The only
        writer of the status and of its history. Returns False if the request already
        had this status (nothing is recorded).
        """
        with transaction.atomic():
            previous = (
                Referral.objects.select_for_update()
                .values_list("status", flat=True)
                .get(pk=self.pk)
            )
            if status == previous:
                self.status = status
                return False
            now = timezone.now()
            self.status = status
            self.status_changed_at = now
            if status in ANSWERED and self.answered_at is None:
                self.answered_at = now
            self.closed_at = (self.closed_at or now) if status in FINISHED else None
            super().save(
                update_fields=[
                    "status",
                    "status_changed_at",
                    "answered_at",
                    "closed_at",
                    "updated_at",
                ]
            )
            self.status_changes.create(
                previous_status=previous,
                status=status,
                changed_by=by,
                by_association=by_association,
            )
            if self.kind == Seeker.YOUNG_PERSON and Status.TAKEN in (previous, status):
                count_places_taken([self.association_id])
        return True

    # What the e-mails, the admin and the confirmation page show.

    @property
    def holds_a_place(self):
        """A young person the association took on holds one of its places."""
        return self.kind == Seeker.YOUNG_PERSON and self.status == Status.TAKEN

    @property
    def is_volunteer(self):
        return self.kind == Seeker.VOLUNTEER

    @property
    def situation(self):
        return self.mentor_profile if self.is_volunteer else self.level

    @property
    def needs_parent(self):
        return self.age is not None and self.age < PARENTAL_CONSENT_AGE

    @property
    def phone_display(self):
        return phone_display(self.phone)

    @property
    def parent_email(self):
        return self.parent_contact if "@" in self.parent_contact else ""

    @property
    def parent_contact_display(self):
        return self.parent_email or phone_display(self.parent_contact)

    @property
    def is_professional(self):
        return bool(self.referent_structure)

    @property
    def contact_name(self):
        """Whom the association contacts and the acknowledgement greets: the parent, under 15."""
        return self.parent_name if self.needs_parent else self.first_name

    @property
    def reply_to(self):
        """Where the association's answer goes: under 15 the parent, never the child (no
        address if the parent gave a phone only); and the professional, if any."""
        person = self.parent_email if self.needs_parent else self.email
        return _addresses(person, self.referent_email)

    @property
    def acknowledgement_recipients(self):
        """The person who will be contacted first (the parent, under 15), the young person
        if they gave an address, and the professional."""
        first, second = (
            (self.parent_email, self.email)
            if self.needs_parent
            else (self.email, self.parent_email)
        )
        return _addresses(first, second, self.referent_email)

    @property
    def is_in_french(self):
        return self.language == settings.LANGUAGE_CODE

    @property
    def language_in_french(self):
        """The request's language named in French, for staff and the association: « arabe »."""
        return language_in_french(self.language)

    @property
    def is_anonymised(self):
        return self.anonymised_at is not None

    @property
    def awaits_association_email(self):
        return (
            self.association_notified_at is None
            and self.collective_notified_at is None
            and self.status == Status.NEW
        )

    @property
    def is_to_forward(self):
        return (
            not self.is_anonymised
            and self.collective_notified_at is not None
            and self.status == Status.NEW
        )

    @property
    def sending_interrupted(self):
        return (
            self.email_claimed_at is not None
            and self.email_claimed_at < timezone.now() - STALE_CLAIM
        )

    @property
    def awaits_acknowledgement(self):
        return bool(self.acknowledgement_recipients) and self.acknowledged_at is None

    @property
    def awaits_email(self):
        return not self.is_anonymised and (
            self.awaits_association_email or self.awaits_acknowledgement
        )

    @property
    def days_to_answer(self):
        if self.answered_at is None:
            return None
        return (self.answered_at - self.created_at) / timedelta(days=1)


def language_in_french(code):
    """« arabe », « anglais », « français »: a language of settings.LANGUAGES, in French."""
    with translation.override(FRENCH):
        return str(translation.get_language_info(code)["name_translated"]).lower()


def _addresses(*addresses):
    """The addresses given, once each, in order."""
    return list(dict.fromkeys(address for address in addresses if address))


class StatusChange(models.Model):
    """One line of a request's history: from which status to which, when, by whom."""

    referral = models.ForeignKey(
        Referral, on_delete=models.CASCADE, related_name="status_changes", verbose_name="demande"
    )
    previous_status = models.CharField("ancien statut", max_length=20, choices=Status, blank=True)
    status = models.CharField("nouveau statut", max_length=20, choices=Status)
    changed_at = models.DateTimeField("le", default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="par",
    )
    by_association = models.BooleanField("par l’association", default=False)

    class Meta:
        ordering = ["changed_at", "pk"]
        verbose_name = "changement de statut"
        verbose_name_plural = "historique des statuts"

    def __str__(self):
        return f"{self.referral} : {self.get_status_display()}"

    @property
    def author(self):
        """Who made the change: a staff account, the association (its personal link), or
        the site itself (form, e-mail sent, expiry)."""
        if self.by_association:
            return "l’association (lien personnel)"
        return str(self.changed_by) if self.changed_by else "le site (automatique)"
