"""What needs attention in the directory today, for the admin's home page."""

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from core.admin_todo import todo_item
from core.french import NBSP, is_plural, pluriel

from .admin_filters import (
    NOT_UPDATED_FOR,
    NOT_UPDATED_LABEL,
    AddressToConfirmFilter,
    NeedsReviewFilter,
    UpdatedFilter,
    VerifiedFilter,
)
from .models import Association, Contact, ReviewItem


def directory_todo(request):
    """Each a sentence and a link to the filtered list, as the user may see them.
    Three queries, whatever the directory holds."""
    user = request.user
    todo = []
    if user.has_perm("associations.view_reviewitem"):
        contacts = ReviewItem.objects.filter(section=ReviewItem.Section.CONTACTS).count()
        todo.append(
            todo_item(
                contacts,
                f"{pluriel(contacts, 'information')} à vérifier sur les contacts "
                "(courriels, téléphones)",
                "Aucune information de contact à vérifier",
                reverse("admin:associations_reviewitem_changelist")
                + f"?section__exact={ReviewItem.Section.CONTACTS}",
            )
        )
    if user.has_perm("associations.view_association"):
        changelist = reverse("admin:associations_association_changelist")
        todo.append(addresses_to_confirm(changelist))
        counts = Association.objects.aggregate(
            with_review=Count(
                "pk", filter=Exists(ReviewItem.objects.filter(association=OuterRef("pk")))
            ),
            not_verified=Count(
                "pk",
                filter=Q(
                    pk__in=Association.objects.not_verified_since(
                        timezone.localdate() - NOT_UPDATED_FOR
                    ).values("pk")
                ),
            ),
            not_updated=Count("pk", filter=Q(updated_at__lt=timezone.now() - NOT_UPDATED_FOR)),
        )
        with_review, not_updated = counts["with_review"], counts["not_updated"]
        not_verified = counts["not_verified"]
        todo.append(
            todo_item(
                with_review,
                f"{pluriel(with_review, 'association')} avec des informations à vérifier",
                "Aucune association n’a d’information à vérifier",
                f"{changelist}?{NeedsReviewFilter.parameter_name}=oui",
            )
        )
        verifiees = "vérifiées" if is_plural(not_verified) else "vérifiée"
        todo.append(
            todo_item(
                not_verified,
                f"{pluriel(not_verified, 'fiche')} non {verifiees} avec l’association depuis "
                f"plus de {NOT_UPDATED_LABEL}",
                f"Toutes les fiches ont été vérifiées depuis moins de {NOT_UPDATED_LABEL}",
                f"{changelist}?{VerifiedFilter.parameter_name}={VerifiedFilter.OLD}",
            )
        )
        mises = "mises" if is_plural(not_updated) else "mise"
        todo.append(
            todo_item(
                not_updated,
                f"{pluriel(not_updated, 'fiche')} non {mises} à jour depuis plus de "
                f"{NOT_UPDATED_LABEL}",
                f"Toutes les fiches ont été mises à jour depuis moins de {NOT_UPDATED_LABEL}",
                f"{changelist}?{UpdatedFilter.parameter_name}={UpdatedFilter.OLD}",
            )
        )
    return todo


def addresses_to_confirm(changelist):
    """« 3 adresses de courriel à confirmer (2 associations) »: they receive no request yet."""
    counts = Contact.objects.to_confirm().aggregate(
        addresses=Count("pk"), associations=Count("association", distinct=True)
    )
    addresses, associations = counts["addresses"], counts["associations"]
    receive = "elles ne reçoivent" if is_plural(addresses) else "elle ne reçoit"
    return todo_item(
        addresses,
        f"{pluriel(addresses, 'adresse')} de courriel à confirmer "
        f"({pluriel(associations, 'association')}){NBSP}: {receive} pas les demandes "
        "d’ici là",
        "Toutes les adresses de courriel sont confirmées",
        f"{changelist}?{AddressToConfirmFilter.parameter_name}={AddressToConfirmFilter.TO_CONFIRM}",
    )
