"""The two questionnaires: a young person's answers, a would-be mentor's, and their rules.

Each says which criteria leave an association out (boolean SQL expressions), how
many points it earns (an SQL expression too), and, for the associations shown, why
in words: what fits, what to check, what does not fit. Every rule reads the
associations' data; none names an association.
"""

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from associations.models import AcceptedMentorProfile, Association, AssociationAudience
from core.french import NBSP, join_words, listing, lower_first, number, sentence
from core.vocabularies import Modality

from .matching import Criterion, Questionnaire

# SQL expressions and words that both questionnaires use


def venues(association):
    """Where they meet: "Au domicile du jeune ou dans un lieu tiers"."""
    names = [venue.name for venue in association.venues.all()]
    return join_words([*names[:1], *map(lower_first, names[1:])], "ou")


def where_and_how_often(association):
    """Where and how often: "Au domicile du jeune ou dans un lieu tiers, 2 h par semaine"."""
    parts = [venues(association)] if association.venues.all() else []
    if association.frequency_text:
        parts.append(
            lower_first(association.frequency_text) if parts else association.frequency_text
        )
    return ", ".join(parts)


def modality_points(modality):
    """1 if the association offers the preferred modality, in SQL (0 without preference)."""
    if not modality:
        return Value(0)
    return Case(
        When(**{Modality(modality).field: True}, then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )


def this_association(lookup="pk"):
    """Inside an `Exists`: the row is the association being annotated."""
    return {lookup: OuterRef("pk")}


def count_of(queryset):
    """Inside an annotation: how many rows of `queryset` (filtered on OuterRef), 0 if none."""
    counted = queryset.order_by().values("association").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def rank_modality(association, modality, match):
    """A point if the association offers the preferred modality, a caveat if it does not."""
    if not modality:
        return
    if association.offers(modality):
        match.score += 1
        match.reasons.append(f"Propose des rencontres {Modality(modality).words}")
    else:
        others = [other.words for other in association.modalities]
        match.caveats.append(f"Propose seulement des rencontres {join_words(others, 'ou')}")


class YoungPerson(Questionnaire):
    """A young person (or a parent): age, school level or situation, needs, preferences."""

    AGE = Criterion("age", "l’âge", "Sans tenir compte de l’âge")
    LEVEL = Criterion("situation", "la situation", "Sans tenir compte de la situation")
    criteria = (AGE, LEVEL)
    ranking = (
        "Les associations sont classées par points\u00a0: un point par besoin en commun, un point "
        "si elle propose la façon de se rencontrer que vous préférez et un point par situation "
        "particulière cochée qu’elle accompagne\u00a0; à égalité, par ordre alphabétique. Celles "
        "dont toutes les places sont prises (liste d’attente) viennent après les autres."
    )
    # A young person waits for a place; a volunteer is welcome where young people wait.
    waiting_list_last = True

    def __init__(self, *, age, level, needs=(), modality="", audiences=()):
        self.age = age
        self.level = level
        self.needs = list(needs)
        self.modality = modality
        self.audiences = list(audiences)

    def conditions(self):
        return {
            self.AGE.name: Exists(
                Association.objects.serving_age(self.age).filter(**this_association())
            ),
            self.LEVEL.name: Exists(
                Association.objects.filter(levels=self.level, **this_association())
            ),
        }

    def score(self):
        needs = Association.needs.through.objects.filter(
            need__in=self.needs, **this_association("association")
        )
        audiences = AssociationAudience.objects.filter(
            audience__in=self.audiences, **this_association("association")
        )
        points = modality_points(self.modality)
        if self.needs:
            points += count_of(needs)
        if self.audiences:
            points += count_of(audiences)
        return points

    def prefetches(self):
        return [
            *super().prefetches(),
            "levels",
            "needs",
            "venues",
            Prefetch(
                "associationaudience_set",
                queryset=AssociationAudience.objects.select_related("audience").order_by(
                    "audience__position", "audience__name"
                ),
            ),
        ]

    def explain(self, association, match, unmet):
        if self.AGE not in unmet:
            if association.age_range:
                match.reasons.append(f"Accompagne les jeunes {association.age_range}")
            else:
                match.caveats.append(sentence("Âge non précisé par l’association", "à vérifier"))
        if self.LEVEL not in unmet:
            match.reasons.append(sentence("Situation accompagnée", lower_first(self.level.name)))

        for link in association.associationaudience_set.all():
            public = lower_first(link.audience.name)
            if link.audience in self.audiences:
                match.score += 1
                prefix = "Accompagne les" if link.is_required else "Accompagne en priorité les"
                match.reasons.append(f"{prefix} {public}")
            elif link.is_required:
                match.caveats.append(f"Réservé aux {public}")

        shared = [need for need in association.needs.all() if need in self.needs]
        match.score += len(shared)
        if shared:
            match.reasons.append(sentence("Aide pour", listing(need.name for need in shared)))
        elif self.needs:
            match.caveats.append("Ne cite aucun des besoins choisis")

        rank_modality(association, self.modality, match)
        if practical := where_and_how_often(association):
            match.reasons.append(practical)
        if association.eligibility_notes:
            match.caveats.append(sentence("À savoir", lower_first(association.eligibility_notes)))

    def gap(self, association, criterion):
        if criterion == self.AGE:
            return f"Accompagne les jeunes {association.age_range}"
        levels = [level.name for level in association.levels.all()]
        if not levels:
            return "Ne précise pas les situations accompagnées"
        return sentence("Situations accompagnées", listing(levels))


class Volunteer(Questionnaire):
    """A would-be mentor: age, situation, time per month, months of commitment, preference."""

    PROFILE = Criterion("situation", "votre situation", "Sans tenir compte de votre situation")
    AGE = Criterion("age", "votre âge", "Sans tenir compte de votre âge")
    MONTHS = Criterion(
        "mois", "la durée de l’engagement", "Sans tenir compte de la durée de l’engagement"
    )
    HOURS = Criterion("heures_par_mois", "le temps par mois", "Sans tenir compte du temps par mois")
    criteria = (PROFILE, AGE, MONTHS, HOURS)
    ranking = (
        "Les associations qui proposent la façon de se rencontrer que vous préférez passent en "
        "premier (un point)\u00a0; à égalité, par ordre alphabétique."
    )

    ADULT = 18  # below it, an unstated minimum age of mentors is worth checking

    def __init__(self, *, age, profile, hours, months, modality=""):
        self.age = age
        self.profile = profile
        self.hours = hours
        self.months = months
        self.modality = modality

    def conditions(self):
        accepted = AcceptedMentorProfile.objects.filter(
            profile=self.profile, **this_association("association")
        )
        return {
            self.PROFILE.name: Exists(accepted),
            self.AGE.name: (Q(mentor_min_age__isnull=True) | Q(mentor_min_age__lte=self.age))
            & ~Exists(accepted.filter(min_age__gt=self.age)),
            self.MONTHS.name: Q(duration_min_months__isnull=True)
            | Q(duration_min_months__lte=self.months),
            self.HOURS.name: Q(hours_per_month_min__isnull=True)
            | Q(hours_per_month_min__lte=self.hours),
        }

    def score(self):
        return modality_points(self.modality)

    def prefetches(self):
        return [
            *super().prefetches(),
            "venues",
            Prefetch(
                "acceptedmentorprofile_set",
                queryset=AcceptedMentorProfile.objects.select_related("profile").order_by(
                    "profile__position", "profile__name"
                ),
            ),
        ]

    def accepted(self, association):
        """The association's terms for the volunteer's situation, if it accepts it."""
        for accepted in association.acceptedmentorprofile_set.all():
            if accepted.profile_id == self.profile.pk:
                return accepted
        return None

    def minimum_age(self, association):
        accepted = self.accepted(association)
        limits = [association.mentor_min_age, accepted.min_age if accepted else None]
        return max((limit for limit in limits if limit is not None), default=None)

    def explain(self, association, match, unmet):
        if self.PROFILE not in unmet:
            match.reasons.append(sentence("Accepte les mentors", lower_first(self.profile.name)))
            if requirements := self.accepted(association).requirements:
                match.caveats.append(sentence("Condition pour votre situation", requirements))
        if self.AGE not in unmet:
            if minimum := self.minimum_age(association):
                match.reasons.append(f"Mentors à partir de {minimum}{NBSP}ans")
            elif self.age < self.ADULT:
                match.caveats.append(sentence("Âge minimum des mentors non précisé", "à vérifier"))

        if self.MONTHS not in unmet:
            if association.duration_text:
                match.reasons.append(sentence("Engagement", lower_first(association.duration_text)))
            elif association.duration_min_months is not None:
                months = number(association.duration_min_months)
                match.reasons.append(sentence("Engagement", f"au moins {months}{NBSP}mois"))
            else:
                match.reasons.append("Pas de durée minimale d’engagement")

        if self.HOURS not in unmet:
            if association.hours_per_month_min is not None:
                hours = number(association.hours_per_month_min)
                match.reasons.append(sentence("Temps demandé", f"au moins {hours}{NBSP}h par mois"))
            else:
                match.caveats.append(
                    sentence("Temps par mois non précisé par l’association", "à vérifier")
                )
        if association.frequency_text:
            match.reasons.append(sentence("Rythme", lower_first(association.frequency_text)))

        rank_modality(association, self.modality, match)
        if association.venues.all():
            match.reasons.append(venues(association))

    def gap(self, association, criterion):
        if criterion == self.PROFILE:
            profiles = [
                accepted.profile.name for accepted in association.acceptedmentorprofile_set.all()
            ]
            if not profiles:
                return "Ne précise pas les mentors acceptés"
            return sentence("Mentors acceptés", listing(profiles))
        if criterion == self.AGE:
            return f"Mentors à partir de {self.minimum_age(association)}{NBSP}ans"
        if criterion == self.MONTHS:
            months = number(association.duration_min_months)
            return f"Demande un engagement d’au moins {months}{NBSP}mois"
        hours = number(association.hours_per_month_min)
        return f"Demande au moins {hours}{NBSP}h par mois"
