from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import Count
from django.utils import formats, timezone

from core.admin import (
    FrenchName,
    StaffModelAdmin,
    StaffStackedInline,
    StaffTabularInline,
)
from core.admin_locking import OptimisticLockMixin
from core.phone import PhoneNumberField, PhoneNumberInput

from .admin_checks import NotCheckedFilter
from .admin_filters import (
    AddressToConfirmFilter,
    ModalityFilter,
    NeedsReviewFilter,
    UpdatedFilter,
    VerifiedFilter,
)
from .admin_forms import LEAFLET_ASSETS, ContactForm, LocationForm
from .admin_translation import TranslatedAdmin, TranslationToReviewFilter
from .models import (
    AcceptedMentorProfile,
    Association,
    AssociationAudience,
    Audience,
    Collective,
    Contact,
    ImpactFigure,
    Level,
    Location,
    MentorProfile,
    Need,
    PartnerType,
    ReviewItem,
    Testimonial,
    Venue,
)


class ContactInline(StaffTabularInline):
    model = Contact
    names = FrenchName("contact")
    form = ContactForm
    extra = 0
    fields = [
        "person_name",
        "role",
        "email",
        "email_confirmed",
        "email_confirmation",
        "email_withheld",
        "email_publishable",
        "phone",
        "phone_publishable",
        "position",
    ]
    readonly_fields = ["email_confirmation"]
    # The admin would give the phone its plain text input (showing E.164): keep the
    # field's own, which shows "06 36 15 26 43".
    formfield_overrides = {
        PhoneNumberField: {"widget": PhoneNumberInput(attrs={"class": "vTextField"})}
    }

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("email_confirmed_by")

    @admin.display(description="confirmé par, le")
    def email_confirmation(self, contact):
        if not contact.email_is_confirmed:
            return "à confirmer : ne reçoit pas les demandes" if contact.email else "—"
        who = contact.email_confirmed_by or "un compte supprimé"
        return f"{who}, le {formats.date_format(timezone.localtime(contact.email_confirmed_at))}"


class LocationInline(StaffStackedInline):
    model = Location
    names = FrenchName("lieu")
    form = LocationForm
    extra = 0
    fields = [
        "label",
        ("address", "postcode", "city"),
        "latitude",
        "longitude",
        "is_approximate",
    ]


class AudienceInline(StaffTabularInline):
    model = AssociationAudience
    names = FrenchName("public particulier")
    extra = 0
    verbose_name_plural = "publics particuliers (réservé ou prioritaire)"


class MentorProfileInline(StaffTabularInline):
    model = AcceptedMentorProfile
    names = FrenchName("profil de mentor")
    extra = 0
    verbose_name_plural = "profils de mentors acceptés"


class ReviewItemInline(StaffTabularInline):
    model = ReviewItem
    names = FrenchName("information à vérifier", feminine=True)
    extra = 0
    fields = ["section", "note", "is_public"]
    verbose_name_plural = "informations à vérifier (supprimez une ligne une fois vérifiée)"


@admin.register(Association)
class AssociationAdmin(OptimisticLockMixin, TranslatedAdmin, StaffModelAdmin):
    """Two people may edit one fiche at once: a save from an older page is refused and
    merged (core.admin_locking.OptimisticLockMixin); `updated_at` changes with every save."""

    names = FrenchName("association", feminine=True)
    # Five short columns: they fit at 1,280 px beside the menu and the filters.
    list_display = ["name", "places", "created_year", "open_review_count", "updated"]
    list_display_links = ["name"]
    search_fields = ["name", "summary"]
    list_filter = [
        "levels",
        "needs",
        ModalityFilter,
        NeedsReviewFilter,
        AddressToConfirmFilter,
        VerifiedFilter,
        UpdatedFilter,
        NotCheckedFilter,
        TranslationToReviewFilter,
    ]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = [
        "updated_at",
        "places",
        "intake_set_on",
        "intake_set_by_association",
        "checked_by_association_on",
    ]
    save_on_top = True
    formfield_overrides = {models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple}}
    inlines = [
        AudienceInline,
        MentorProfileInline,
        ContactInline,
        LocationInline,
        ReviewItemInline,
    ]
    fieldsets = [
        (
            "Identité",
            {"fields": ["name", "slug", "summary", "description", "website", "logo", "updated_at"]},
        ),
        (
            "Chiffres",
            {
                "fields": [
                    "programme_created_year",
                    ("mentored_year", "mentored_total", "mentored_metropole"),
                    ("roubaix_capacity", "roubaix_capacity_is_minimum"),
                    ("places_adjustment", "places"),
                    ("intake", "intake_waiting_weeks"),
                    ("intake_set_on", "intake_set_by_association"),
                    "checked_by_association_on",
                ]
            },
        ),
        (
            "Public accompagné",
            {
                "fields": [
                    ("age_min", "age_max"),
                    "public_description",
                    "levels",
                    "levels_from_partners",
                    "needs",
                    "eligibility_notes",
                ],
                "description": "Les publics particuliers (réservés ou prioritaires) se "
                "règlent plus bas.",
            },
        ),
        (
            "Mentors",
            {
                "fields": ["mentor_description", "mentor_min_age", "mentor_training"],
                "description": "Les profils acceptés se règlent plus bas.",
            },
        ),
        (
            "Modalités d’accompagnement",
            {
                "fields": [
                    ("duration_min_months", "duration_max_months"),
                    "duration_text",
                    ("meetings_min", "meetings_max", "meetings_period"),
                    ("hours", "hours_period"),
                    "frequency_text",
                    ("in_person", "remote"),
                    "modality_text",
                    "venues",
                    "modalities_details",
                ]
            },
        ),
        ("Partenaires", {"fields": ["partner_types", "partners_text"]}),
        ("Informations à vérifier", {"fields": ["show_review_items_publicly", "verified_on"]}),
        (
            "Traductions",
            {
                "fields": ["translation_to_review_ar", "translation_to_review_en"],
                "description": "Chaque texte a sa version arabe et anglaise ; vide, le site "
                "montre le français. Décochez une fois les traductions relues par un locuteur.",
            },
        ),
        (
            "Données ouvertes (data·inclusion)",
            {
                "fields": ["data_inclusion_thematiques", "data_inclusion_networks"],
                "classes": ["collapse"],
            },
        ),
    ]

    class Media:
        css = LEAFLET_ASSETS["css"]
        js = LEAFLET_ASSETS["js"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_open_review_count().with_places()

    def save_formset(self, request, form, formset, change):
        if formset.model is Contact:
            for contact_form in formset.forms:
                if contact_form.has_changed() and contact_form not in formset.deleted_forms:
                    contact_form.record_confirmation(request.user)
        super().save_formset(request, form, formset, change)

    @admin.display(description="places occupées", ordering="places_used")
    def places(self, association):
        """Requests taken on plus the adjustment, against the capacity, and what it shows."""
        if association.pk is None:
            return "—"
        used = association.places_used
        if association.roubaix_capacity is None:
            return f"{used} (capacité inconnue)"
        return f"{used} sur {association.capacity_label} : {association.places_label.lower()}"

    @admin.display(description="programme créé en", ordering="programme_created_year")
    def created_year(self, association):
        return association.programme_created_year or "—"

    @admin.display(description="mise à jour", ordering="updated_at")
    def updated(self, association):
        return formats.date_format(timezone.localtime(association.updated_at), "SHORT_DATE_FORMAT")

    @admin.display(description="à vérifier", ordering="open_review_count")
    def open_review_count(self, association):
        return association.open_review_count


class TouchesAssociationMixin:
    """A place or a review item saved or deleted on its own page changes its association's
    fiche: its « mis à jour le » moves, so a form of that fiche opened before sees it."""

    def touch(self, association_ids):
        Association.objects.filter(pk__in=association_ids).update(updated_at=timezone.now())

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        self.touch([obj.association_id])

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        self.touch([obj.association_id])

    def delete_queryset(self, request, queryset):
        association_ids = set(queryset.values_list("association_id", flat=True))
        super().delete_queryset(request, queryset)
        self.touch(association_ids)


@admin.register(ReviewItem)
class ReviewItemAdmin(TouchesAssociationMixin, StaffModelAdmin):
    """Every fact still to confirm, across all associations, on one page."""

    names = FrenchName("information à vérifier", feminine=True)

    list_display = ["association", "section", "note", "is_public", "created_at"]
    list_filter = ["section", "is_public", "association"]
    list_select_related = ["association"]
    search_fields = ["note", "association__name"]
    autocomplete_fields = ["association"]


@admin.register(Location)
class LocationAdmin(TouchesAssociationMixin, StaffModelAdmin):
    names = FrenchName("lieu")
    form = LocationForm
    list_display = ["label", "association", "city", "latitude", "longitude", "is_approximate"]
    list_filter = ["is_approximate", "association"]
    list_select_related = ["association"]
    search_fields = ["label", "address", "association__name"]
    autocomplete_fields = ["association"]

    class Media:
        css = LEAFLET_ASSETS["css"]
        js = LEAFLET_ASSETS["js"]


class VocabularyAdmin(TranslatedAdmin, StaffModelAdmin):
    list_display = ["name", "slug", "position", "association_count"]
    list_filter = [TranslationToReviewFilter]
    list_editable = ["position"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(association_count=Count("associations"))

    @admin.display(description="associations", ordering="association_count")
    def association_count(self, term):
        return term.association_count


VOCABULARY_NAMES = {
    Level: FrenchName(
        "niveau ou situation",
        definite="le niveau ou la situation",
        indefinite="un niveau ou une situation",
    ),
    Need: FrenchName("besoin"),
    Audience: FrenchName("public particulier"),
    MentorProfile: FrenchName("profil de mentor"),
    Venue: FrenchName("lieu de rencontre"),
    PartnerType: FrenchName("type de partenaire"),
}
for vocabulary, names in VOCABULARY_NAMES.items():
    admin.site.register(
        vocabulary, type(f"{vocabulary.__name__}Admin", (VocabularyAdmin,), {"names": names})
    )


class ImpactFigureInline(StaffTabularInline):
    model = ImpactFigure
    names = FrenchName("chiffre d’impact")
    extra = 0


class TestimonialInline(StaffStackedInline):
    model = Testimonial
    names = FrenchName("témoignage")
    extra = 0


@admin.register(Collective)
class CollectiveAdmin(OptimisticLockMixin, StaffModelAdmin):
    names = FrenchName("Collectif Mentorat")
    inlines = [ImpactFigureInline, TestimonialInline]
    readonly_fields = ["updated_at"]
    fieldsets = [
        (
            "Le Collectif Mentorat",
            {
                "fields": [
                    "name",
                    "presentation",
                    "missions",
                    "national_figure",
                    "national_plan",
                    "national_plan_url",
                    "local_presentation",
                    "territory_presentation",
                    "contact_email",
                    "contact_phone",
                    "updated_at",
                ]
            },
        ),
        (
            "Le mentorat",
            {
                "fields": [
                    "mentoring_definition",
                    "who_can_be_mentored",
                    "who_can_mentor",
                    "mentor_profiles_text",
                    "mentor_qualities",
                ]
            },
        ),
        ("Chiffres d’impact", {"fields": ["impact_title", "impact_source"]}),
        (
            "La Cité éducative de Roubaix",
            {"fields": ["cite_presentation", "cite_priorities_intro", "cite_priorities"]},
        ),
    ]

    def has_add_permission(self, request):
        # There is one Collectif: its record is created on first use.
        return super().has_add_permission(request) and not Collective.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
