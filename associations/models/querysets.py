"""The rules the whole site reads from the directory, named for what they mean."""

from django.db import models
from django.db.models import Count, Exists, F, Max, Min, OuterRef, Prefetch, Q, Sum
from django.db.models.functions import Coalesce, Lower, TruncDate
from django.utils.translation import gettext, ngettext

from core.french import number
from core.vocabularies import AGES, Modality, Seeker

from .. import schedule
from .intake import Intake
from .parts import AcceptedMentorProfile, AssociationAudience, Contact, ReviewItem

# By name (its index), then by key: two names that differ only in capitals never swap
# places between two pages of a list.
BY_NAME = (Lower("name"), F("pk"))


class AssociationQuerySet(models.QuerySet):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)

    def by_name(self):
        """In the order of a list shown page by page (`BY_NAME`)."""
        return self.order_by(*BY_NAME)

    def with_open_review_count(self):
        return self.annotate(open_review_count=Count("review_items", distinct=True))

    def needing_review(self):
        return self.filter(review_items__isnull=False).distinct()

    def not_verified_since(self, day):
        """Fiches last verified before `day`: on `verified_on`, or without it on their
        last change (what the open data give as their date)."""
        return self.alias(last_verified=Coalesce("verified_on", TruncDate("updated_at"))).filter(
            last_verified__lt=day
        )

    def with_address_to_confirm(self):
        """Associations with an e-mail address that staff have not confirmed yet."""
        return self.filter(Exists(Contact.objects.to_confirm().filter(association=OuterRef("pk"))))

    def with_details(self):
        """Everything an association publishes (page, exports), in a fixed number of queries."""
        return self.prefetch_related(
            "levels",
            "needs",
            "venues",
            "partner_types",
            "contacts",
            "locations",
            Prefetch(
                "associationaudience_set",
                queryset=AssociationAudience.objects.select_related("audience").order_by(
                    "audience__position", "audience__name"
                ),
            ),
            Prefetch(
                "acceptedmentorprofile_set",
                queryset=AcceptedMentorProfile.objects.select_related("profile").order_by(
                    "profile__position", "profile__name"
                ),
            ),
            Prefetch(
                "review_items",
                queryset=ReviewItem.objects.public().order_by("section", "pk"),
                to_attr="prefetched_public_review_items",
            ),
        )

    def with_email_recipient(self):
        """`has_email_recipient`: a confirmed address receives its requests (same query)."""
        confirmed = Contact.objects.receiving_requests().filter(association=OuterRef("pk"))
        return self.annotate(has_email_recipient=Exists(confirmed))

    def with_review_flag(self):
        """`has_public_review_items`: whether `public_review_items` lists anything, in SQL.

        For lists that only say that something is to check (orientation results).
        """
        public_items = ReviewItem.objects.public().filter(association=OuterRef("pk"))
        return self.annotate(
            has_public_review_items=models.ExpressionWrapper(
                Q(Exists(public_items), show_review_items_publicly=True),
                output_field=models.BooleanField(),
            )
        )

    def with_vocabularies(self):
        """Everything a card or a page shows, in a fixed number of queries."""
        return self.prefetch_related(
            "levels", "needs", "mentor_profiles", "venues", "partner_types", "audiences"
        )

    def totals(self):
        """Figures for the whole directory: how many associations, how many places.

        `capacity_is_minimum` when a capacity is a floor ("200 jeunes ou plus") or unknown:
        the places are then "au moins 432 places" (`capacity_label`), as the brochure says.
        """
        totals = self.aggregate(
            associations=Count("pk"),
            capacity=Sum("roubaix_capacity", default=0),
            open_ended=Count(
                "pk", filter=Q(roubaix_capacity_is_minimum=True) | Q(roubaix_capacity=None)
            ),
        )
        totals["capacity_is_minimum"] = totals.pop("open_ended") > 0
        # In the active language: the directory's cached figures are kept per language.
        capacity = totals["capacity"]
        # (a no-break space after the number, written as itself: gettext reads no escapes)
        places = ngettext("%(count)s place", "%(count)s places", capacity) % {
            "count": number(capacity)
        }
        if totals["capacity_is_minimum"]:
            places = gettext("au moins %(places)s") % {"places": places}
        totals["capacity_label"] = places
        return totals

    def offering(self, modality):
        """Associations that offer this modality (a `Modality` or its value)."""
        return self.filter(**{Modality(modality).field: True})

    def serving_age(self, age):
        """Associations whose stated age range includes `age` (an unstated bound is open)."""
        return self.filter(
            Q(age_min__isnull=True) | Q(age_min__lte=age),
            Q(age_max__isnull=True) | Q(age_max__gte=age),
        )

    def young_age_bounds(self):
        """(lowest, highest) age a young person's questionnaire or request accepts.

        The brochure's range (5 to 30, the portal's wording) widened to every range the
        associations state (DUO for a JOB: up to 33), in one aggregate.
        """
        low, high = AGES[Seeker.YOUNG_PERSON]
        stated = self.order_by().aggregate(low=Min("age_min"), high=Max("age_max"))
        return (
            low if stated["low"] is None else min(low, stated["low"]),
            high if stated["high"] is None else max(high, stated["high"]),
        )

    def with_yearly_time(self):
        """`meetings_asked` and `hours_asked`: the least an association asks of a mentor in
        a year (None when it does not say), in SQL (associations.schedule)."""
        return schedule.with_yearly_time(self)

    def with_places(self):
        """`places_used` and `has_waiting_list` on each association, in the same query.

        Places used in the Cité éducative: the young people's requests that the
        association took on (`places_taken`, kept up to date by the requests app),
        plus the adjustment staff set by hand. Full (waiting list) when they reach a
        capacity that is not a floor: an unknown capacity, or "200 or more", never is.
        What the association or staff say of its intake comes first (`intake`): a
        waiting list, or no request taken now, is full; « accueille » is not.
        """
        full = Q(
            roubaix_capacity__isnull=False,
            roubaix_capacity_is_minimum=False,
            places_used__gte=F("roubaix_capacity"),
        )
        said_full = Q(intake__in=[Intake.WAITING_LIST, Intake.CLOSED])
        return self.annotate(places_used=F("places_taken") + F("places_adjustment")).annotate(
            has_waiting_list=models.ExpressionWrapper(
                said_full | (full & ~Q(intake=Intake.OPEN)), output_field=models.BooleanField()
            ),
            takes_no_request_now=models.ExpressionWrapper(
                Q(intake=Intake.CLOSED), output_field=models.BooleanField()
            ),
        )
