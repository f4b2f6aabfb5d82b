"""What belongs to one association: its publics, mentor profiles, contacts, places and
the facts staff must check."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_noop

from core.phone import PhoneNumberField, phone_display, phone_uri

from .. import publication
from ..validators import (
    AGE_BOUNDS,
)
from .vocabularies import Audience, MentorProfile


class AssociationAudience(models.Model):
    association = models.ForeignKey("associations.Association", on_delete=models.CASCADE)
    audience = models.ForeignKey(Audience, on_delete=models.PROTECT, verbose_name="public")
    is_required = models.BooleanField(
        "réservé à ce public",
        default=False,
        help_text="Coché : l’association n’accompagne que ce public. Sinon, il est prioritaire.",
    )

    class Meta:
        verbose_name = "public particulier"
        verbose_name_plural = "publics particuliers"
        constraints = [
            models.UniqueConstraint(
                fields=["association", "audience"], name="unique_association_audience"
            )
        ]

    def __str__(self):
        return str(self.audience)


class AcceptedMentorProfile(models.Model):
    association = models.ForeignKey("associations.Association", on_delete=models.CASCADE)
    profile = models.ForeignKey(MentorProfile, on_delete=models.PROTECT, verbose_name="profil")
    min_age = models.PositiveSmallIntegerField(
        "âge minimum pour ce profil", null=True, blank=True, validators=AGE_BOUNDS
    )
    requirements = models.CharField(
        "conditions pour ce profil",
        max_length=240,
        blank=True,
        help_text="Par exemple « au moins 2 ans d’expérience ».",
    )

    class Meta:
        verbose_name = "profil de mentor accepté"
        verbose_name_plural = "profils de mentors acceptés"
        constraints = [
            models.UniqueConstraint(
                fields=["association", "profile"], name="unique_association_mentor_profile"
            )
        ]

    def __str__(self):
        return str(self.profile)


class ContactQuerySet(models.QuerySet):
    def receiving_requests(self):
        """Addresses staff have confirmed: the only ones that receive requests by e-mail."""
        return self.exclude(email="").filter(email_confirmed_at__isnull=False)

    def apply_publication_rule(self):
        """Reset what open data may publish of these contacts to the rule's defaults."""
        contacts = list(self)
        for contact in contacts:
            contact.apply_publication_rule()
        self.model.objects.bulk_update(contacts, ["email_publishable", "phone_publishable"])
        return len(contacts)

    def to_confirm(self):
        """Addresses staff have not confirmed with the association yet: they receive no
        request (an association without any other sends its requests to the Collectif)."""
        return self.exclude(email="").filter(email_confirmed_at__isnull=True)


class Contact(models.Model):
    """A way to reach an association.

    An e-mail address receives the requests of the portal only once staff have
    confirmed it with the association (`email_confirmed_at`, `email_confirmed_by`):
    the brochure's addresses are not, and one of them was copied from another
    association. Until then the public page says it is to be checked, or does not
    show it at all when staff have withheld it.

    Open data (the API, the CSV, data·inclusion) publishes the address and the number
    only where staff let it (`email_publishable`, `phone_publishable`): by default a
    generic address and a landline, never a named person's address nor a mobile
    (associations.publication). The public page shows them either way.
    """

    association = models.ForeignKey(
        "associations.Association", on_delete=models.CASCADE, related_name="contacts"
    )
    person_name = models.CharField("nom de la personne", max_length=120, blank=True)
    role = models.CharField("fonction", max_length=120, blank=True)
    email = models.EmailField("courriel", blank=True)
    phone = PhoneNumberField("téléphone", blank=True)
    position = models.PositiveSmallIntegerField("ordre", default=0)
    email_confirmed_at = models.DateTimeField("courriel confirmé le", null=True, blank=True)
    email_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="courriel confirmé par",
    )
    email_withheld = models.BooleanField(
        "courriel retiré du site",
        default=False,
        help_text="Une adresse douteuse (recopiée d’une autre association…) n’est pas "
        "montrée au public tant qu’elle n’est pas confirmée.",
    )
    email_publishable = models.BooleanField(
        "courriel publiable en données ouvertes",
        default=False,
        help_text="Publié sous Licence Ouverte (API, CSV, data·inclusion), que chacun peut "
        "recopier. Coché d’office pour une adresse générique (contact@, lille@…) ; l’adresse "
        "d’une personne nommée seulement si elle l’a accepté. La page publique la montre "
        "dans tous les cas.",
    )
    phone_publishable = models.BooleanField(
        "téléphone publiable en données ouvertes",
        default=False,
        help_text="Coché d’office pour une ligne fixe de l’association ; un portable ou le "
        "numéro d’une personne nommée seulement si elle l’a accepté.",
    )

    objects = ContactQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "contact"
        verbose_name_plural = "contacts"
        constraints = [
            models.CheckConstraint(
                condition=~Q(email="") | ~Q(phone=""),
                name="contact_has_email_or_phone",
                violation_error_message="Indiquez au moins un courriel ou un téléphone.",
            )
        ]

    def __str__(self):
        return self.person_name or self.email or self.phone_display

    def save(self, *args, **kwargs):
        if self._state.adding:
            # A new contact: the rule ticks what it would; staff may tick more.
            email, phone = self.email_publishable, self.phone_publishable
            self.apply_publication_rule()
            self.email_publishable |= email
            self.phone_publishable |= phone
        super().save(*args, **kwargs)

    def apply_publication_rule(self):
        """What open data may publish by default (associations.publication)."""
        self.email_publishable = publication.email_publishable_by_default(
            self.email, self.person_name
        )
        self.phone_publishable = publication.phone_publishable_by_default(
            self.phone, self.person_name
        )

    @property
    def open_data_email(self):
        """The address open data publishes: one staff let it publish, and not withheld."""
        return self.public_email if self.email_publishable else ""

    @property
    def open_data_phone(self):
        return self.phone if self.phone_publishable else ""

    @property
    def email_is_confirmed(self):
        return bool(self.email) and self.email_confirmed_at is not None

    @property
    def public_email(self):
        """The address the public sees: confirmed, or to be checked unless withheld."""
        if self.email_is_confirmed or not self.email_withheld:
            return self.email
        return ""

    @property
    def is_shown(self):
        """Anything to show the public: a name, a phone number or an address."""
        return bool(self.person_name or self.phone or self.public_email)

    def confirm_email(self, by):
        """Staff confirmed the address with the association: it may receive requests."""
        self.email_confirmed_at = timezone.now()
        self.email_confirmed_by = by

    def unconfirm_email(self):
        self.email_confirmed_at = None
        self.email_confirmed_by = None

    @property
    def phone_display(self):
        return phone_display(self.phone)

    @property
    def phone_uri(self):
        return phone_uri(self.phone)


class LocationQuerySet(models.QuerySet):
    def on_map(self):
        return self.filter(latitude__isnull=False, longitude__isnull=False)

    def within(self, box):
        """The places inside `box`: (west, south, east, north) in degrees."""
        west, south, east, north = box
        return self.filter(
            longitude__gte=west, longitude__lte=east, latitude__gte=south, latitude__lte=north
        )

    def extent(self):
        """(west, south, east, north) of these places, in one aggregate; None if none."""
        box = self.order_by().aggregate(
            west=models.Min("longitude"),
            south=models.Min("latitude"),
            east=models.Max("longitude"),
            north=models.Max("latitude"),
        )
        if box["west"] is None:
            return None
        return tuple(float(box[side]) for side in ("west", "south", "east", "north"))


class Location(models.Model):
    """A place where the association works, shown on the map."""

    association = models.ForeignKey(
        "associations.Association", on_delete=models.CASCADE, related_name="locations"
    )
    label = models.CharField("nom du lieu", max_length=160)
    address = models.CharField("adresse", max_length=240, blank=True)
    postcode = models.CharField("code postal", max_length=5, blank=True)
    city = models.CharField("commune", max_length=80, default="Roubaix")
    latitude = models.DecimalField(
        "latitude",
        max_digits=8,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        "longitude",
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    is_approximate = models.BooleanField(
        "emplacement approximatif",
        default=True,
        help_text="Coché tant que le point n’a pas été placé sur l’adresse exacte.",
    )

    objects = LocationQuerySet.as_manager()

    class Meta:
        ordering = [Lower("association__name"), "label"]
        verbose_name = "lieu"
        verbose_name_plural = "lieux"
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="location_latitude_range",
                violation_error_message="La latitude doit être comprise entre -90 et 90.",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="location_longitude_range",
                violation_error_message="La longitude doit être comprise entre -180 et 180.",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="location_coordinates_together",
                violation_error_message="Indiquez la latitude et la longitude, ou aucune des deux.",
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def full_address(self):
        return ", ".join(
            part for part in [self.address, f"{self.postcode} {self.city}".strip()] if part
        )


class ReviewItemQuerySet(models.QuerySet):
    def public(self):
        """The items staff let the public see (if the association shows its review items)."""
        return self.filter(is_public=True)


class ReviewItem(models.Model):
    """A fact that staff must confirm ("à vérifier"), with why."""

    # How the public is told, in plain words; French here (the exports, the print), and
    # in a page's language through gettext(PUBLIC_NOTICE).
    PUBLIC_NOTICE = gettext_noop("Information à vérifier auprès de l’association")

    class Section(models.TextChoices):
        IDENTITY = "identite", "Identité"
        FIGURES = "chiffres", "Chiffres"
        PUBLIC = "public", "Public accompagné"
        MENTORS = "mentors", "Mentors"
        MODALITIES = "modalites", "Modalités"
        PARTNERS = "partenaires", "Partenaires"
        CONTACTS = "contacts", "Contacts"
        LOCATIONS = "lieux", "Lieux"

    association = models.ForeignKey(
        "associations.Association", on_delete=models.CASCADE, related_name="review_items"
    )
    section = models.CharField("rubrique", max_length=20, choices=Section)
    note = models.TextField("ce qu’il faut vérifier, et pourquoi")
    is_public = models.BooleanField(
        "visible du public",
        default=True,
        help_text="Signalé sur la page publique si l’association le permet.",
    )
    created_at = models.DateTimeField("signalé le", default=timezone.now)

    objects = ReviewItemQuerySet.as_manager()

    class Meta:
        ordering = [Lower("association__name"), "section", "pk"]
        verbose_name = "information à vérifier"
        verbose_name_plural = "informations à vérifier"

    def __str__(self):
        return f"{self.association} — {self.get_section_display()}"
