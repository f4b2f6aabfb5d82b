"""The two questionnaires: a young person's answers, a would-be mentor's, and their rules.

Each says which criteria leave an association out (boolean SQL expressions), how it
ranks (SQL expressions too), and, for the associations shown, why in words: what
fits, what differs, what to check. Every rule reads the associations' data; none
names an association. Each reason is one text to translate, its values named inside
("Aide pour : %(needs)s"), so that every language says it in its own order.
"""

from decimal import Decimal

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.db.models.lookups import LessThan
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from associations.models import AcceptedMentorProfile, Association, AssociationAudience
from core.french import join_words, listing, lower_first, number
from core.templatetags.translated import filled, marked
from core.vocabularies import WEEKS_PER_YEAR, Commitment, HoursPer, Modality, Rhythm

from .matching import Criterion, Questionnaire, Rank
from .wording import YOU, address

# A near miss: an association that asks a little more time (or slightly more frequent
# meetings) than the volunteer offers stays in the results, with what it asks; one that
# asks clearly more is left out. "A little more" is at most a third more: the volunteer
# offers at least three quarters of what is asked (8 h a month for 2 h a week, 8,7 h).
NEAR = Decimal("0.75")


def within_reach(offered):
    """The most an association may ask and still be a near miss for what is `offered`."""
    return offered / NEAR


# SQL expressions and words that both questionnaires use


def this_association(lookup="pk"):
    """Inside an `Exists`: the row is the association being annotated."""
    return {lookup: OuterRef("pk")}


def among(links):
    """The associations of `links` (rows with an `association`), for `pk__in`: one list
    for the whole query, where an `Exists` runs a subquery for each association."""
    return links.order_by().values("association_id")


def count_of(queryset):
    """Inside an annotation: how many rows of `queryset` (filtered on OuterRef), 0 if none."""
    counted = queryset.order_by().values("association").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def total(queryset):
    """Inside an annotation: how many rows `queryset` has in all (one scalar subquery)."""
    # COUNT as a plain function: no GROUP BY, one row.
    counted = queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Subquery(counted[:1], output_field=IntegerField())


def fewer_than_average(links):
    """True if the association has fewer `links` (levels, mentor profiles…) than the
    directory's associations have on average: its public is narrow, it is made for it."""
    own = count_of(links.filter(**this_association("association")))
    return LessThan(own * total(Association.objects.all()), total(links))


def venues(association):
    """Where they meet: "Au domicile du jeune ou dans un lieu tiers"."""
    names = [venue.name for venue in association.venues.all()]
    return join_words([*names[:1], *map(lower_first, names[1:])], "ou")


def where_and_how_often(association):
    """Where and how often: "Au domicile du jeune ou dans un lieu tiers, 2 h par semaine"."""
    parts = [venues(association)] if association.venues.all() else []
    if association.frequency_text:
        parts.append(marked(association, "frequency_text", lower_first if parts else None))
    return mark_safe(", ".join(conditional_escape(part) for part in parts))


def modality_points(modality):
    """1 if the association offers the preferred modality, in SQL (0 without preference)."""
    if not modality:
        return Value(0)
    return Case(
        When(**{Modality(modality).field: True}, then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )


def say_modality(association, modality, match):
    """A reason if the association offers the preferred modality, a difference if not."""
    if not modality:
        return
    if association.offers(modality):
        words = Modality(modality).words
        match.reasons.append(_("Propose des rencontres %(modality)s") % {"modality": words})
    else:
        others = [other.words for other in association.modalities]
        match.differences.append(
            _("Propose seulement des rencontres %(modalities)s")
            % {"modalities": join_words(others, "ou")}
        )


def accompanies(association):
    """ "Accompagne les jeunes de 5 à 18 ans"."""
    return _("Accompagne les jeunes %(ages)s") % {"ages": association.age_range}


def mentors_from(age):
    return _("Mentors à partir de %(age)s ans") % {"age": age}


def serves(link):
    """A public the person ticked that the association serves, only or first."""
    public = {"public": lower_first(link.audience.name)}
    if link.is_required:
        return _("Accompagne les %(public)s") % public
    return _("Accompagne en priorité les %(public)s") % public


def headline(match, *reasons):
    """The first of `reasons` that was given becomes the line under the name."""
    match.headline = next((reason for reason in reasons if reason), "")


def is_term(answer):
    """A vocabulary term (not the "Je ne sais pas" of a question)."""
    return getattr(answer, "pk", None) is not None


class YoungPerson(Questionnaire):
    """A young person (or a parent, or a professional): age, level, needs, preferences."""

    AGE = Criterion("age", gettext_lazy("l’âge"), relaxable=False)
    LEVEL = Criterion("situation", gettext_lazy("la situation"))
    # The stated age range first: it decides before the levels, which may be inferred.
    criteria = (AGE, LEVEL)
    # A young person waits for a place; a volunteer is welcome where young people wait.
    waiting_list_last = True
    MADE_FOR_LEVEL = 2  # level_fit: made for the level, or merely accepting it (1)

    def __init__(self, *, age, level, needs=(), modality="", audiences=(), respondent=""):
        self.age = age
        self.level = level
        self.needs = list(needs)
        self.modality = modality
        self.audiences = [audience for audience in audiences if is_term(audience)]
        self.respondent = respondent
        self.address = address(respondent)

    @property
    def ranking(self):
        return str(self.address.ranking)

    def ages(self):
        return Q(age_min__isnull=True) | Q(age_min__lte=self.age), Q(age_max__isnull=True) | Q(
            age_max__gte=self.age
        )

    def prepare(self, queryset):
        """`level_listed`: the level is among the association's; `level_fit`: 2 if it is made
        for it (fewer levels than the average association, and not reserved to a public the
        person did not tick), 1 if it merely accepts it, 0 if not."""
        levels = Association.levels.through.objects
        reserved_elsewhere = AssociationAudience.objects.filter(
            is_required=True, **this_association("association")
        ).exclude(audience__in=self.audiences)
        # A plain test of the row's own key against one list of ids (a hashed subplan,
        # run once), not a subquery for each association and each count that reads it.
        listed = queryset.annotate(
            level_listed=ExpressionWrapper(
                Q(pk__in=among(levels.filter(level=self.level))), output_field=BooleanField()
            )
        )
        return listed.annotate(
            level_fit=Case(
                When(
                    Q(level_listed=True)
                    & Q(fewer_than_average(levels))
                    & ~Exists(reserved_elsewhere),
                    then=Value(self.MADE_FOR_LEVEL),
                ),
                When(level_listed=True, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )

    def conditions(self):
        low, high = self.ages()
        stated = Q(age_min__isnull=False) | Q(age_max__isnull=False)
        return {
            self.AGE.name: low & high,
            # Stated facts beat inferred ones: levels inferred from the partner schools
            # never leave out someone the association's stated ages include.
            self.LEVEL.name: Q(level_listed=True)
            | (Q(levels_from_partners=True) & stated & low & high),
        }

    def ranks(self):
        served = AssociationAudience.objects.filter(
            audience__in=self.audiences, **this_association("association")
        )
        needs = Association.needs.through.objects.filter(
            need__in=self.needs, **this_association("association")
        )
        return [
            Rank("fit", F("level_fit") + (count_of(served) if self.audiences else Value(0))),
            Rank("shared_needs", count_of(needs) if self.needs else Value(0)),
            Rank("modality_fit", modality_points(self.modality)),
        ]

    def prefetches(self):
        return [
            *super().prefetches(),
            "levels",
            "needs",
            "venues",
            "partner_types",
            Prefetch(
                "associationaudience_set",
                queryset=AssociationAudience.objects.select_related("audience").order_by(
                    "audience__position", "audience__name"
                ),
            ),
        ]

    def explain(self, association, match, unmet):
        # The publics ticked that it serves, what it is made for, its stated ages, then
        # the rest; the line under its name is the first that tells most.
        public = [
            serves(link)
            for link in association.associationaudience_set.all()
            if link.audience in self.audiences
        ]
        match.reasons += public
        for link in association.associationaudience_set.all():
            if link.is_required and link.audience not in self.audiences:
                reserved = lower_first(link.audience.name)
                match.caveats.append(_("Réservé aux %(public)s") % {"public": reserved})

        made_for = level = ages = helps = ""
        if self.LEVEL not in unmet and association.level_fit == self.MADE_FOR_LEVEL:
            levels = listing(level.name for level in association.levels.all())
            match.reasons.append(_("Accompagne seulement : %(levels)s") % {"levels": levels})
            made_for = _("Faite pour : %(level)s") % {"level": lower_first(self.level.name)}
        if self.AGE not in unmet and association.states_ages:
            ages = accompanies(association)
            match.reasons.append(ages)
        if self.LEVEL not in unmet and not made_for:
            if association.level_listed:
                level = _("Situation accompagnée : %(level)s") % {
                    "level": lower_first(self.level.name)
                }
                match.reasons.append(level)
            else:  # admitted by its stated ages: its levels come from its partners
                partners = listing(partner.name for partner in association.partner_types.all())
                match.caveats.append(
                    _(
                        "%(level)s : ses niveaux viennent de ses partenaires (%(partners)s), "
                        "mais elle accompagne les jeunes %(ages)s"
                    )
                    % {
                        "level": self.level.name,
                        "partners": partners,
                        "ages": association.age_range,
                    }
                )

        shared = [need for need in association.needs.all() if need in self.needs]
        if shared:
            helps = _("Aide pour : %(needs)s") % {"needs": listing(n.name for n in shared)}
            match.reasons.append(helps)
        elif self.needs:
            names = listing((need.name for need in self.needs), "ni")
            match.differences.append(_("Ne cite pas : %(needs)s") % {"needs": names})

        say_modality(association, self.modality, match)
        if practical := where_and_how_often(association):
            match.reasons.append(practical)
        if association.eligibility_notes:
            notes = marked(association, "eligibility_notes", lower_first)
            match.caveats.append(filled(_("À savoir : %(notes)s"), notes=notes))
        headline(match, *public, made_for, helps, level, ages)

    def gap(self, association, criterion):
        if criterion == self.AGE:
            return accompanies(association)
        levels = [level.name for level in association.levels.all()]
        if not levels:
            return _("Ne précise pas les situations accompagnées")
        return _("Situations accompagnées : %(levels)s") % {"levels": listing(levels)}


class Volunteer(Questionnaire):
    """A would-be mentor: age, situation, rhythm, time, commitment, preference."""

    PROFILE = Criterion("situation", gettext_lazy("votre situation"))
    AGE = Criterion("age", gettext_lazy("votre âge"), relaxable=False)
    DURATION = Criterion("engagement", gettext_lazy("la durée de l’engagement"))
    RHYTHM = Criterion("rythme", gettext_lazy("le rythme des rencontres"))
    HOURS = Criterion("heures", gettext_lazy("le temps que vous pouvez donner"))
    criteria = (PROFILE, AGE, DURATION, RHYTHM, HOURS)

    ADULT = 18  # below it, an unstated minimum age of mentors is worth checking

    def __init__(self, *, age, profile, rhythm, hours, commitment, hours_per="", modality=""):
        self.age = age
        self.profile = profile
        self.rhythm = Rhythm(rhythm)
        self.hours = Decimal(hours)
        self.hours_per = HoursPer(hours_per or HoursPer.MEETING)
        self.commitment = Commitment(commitment)
        self.modality = modality
        self.address = YOU

    @property
    def ranking(self):
        return _(
            "D’abord les associations faites pour votre situation, puis celles qui ne demandent "
            "pas plus de temps que vous n’en proposez, puis celles qui proposent les rencontres "
            "que vous préférez."
        )

    @property
    def yearly_meetings(self):
        return Decimal(self.rhythm.per_year)

    @property
    def yearly_hours(self):
        """The hours offered in a year: per meeting at the rhythm given, or per week."""
        per_year = self.rhythm.per_year if self.hours_per == HoursPer.MEETING else WEEKS_PER_YEAR
        return self.hours * per_year

    def prepare(self, queryset):
        return queryset.with_yearly_time()

    def conditions(self):
        accepted = AcceptedMentorProfile.objects.filter(profile=self.profile)
        months = self.commitment.months
        return {
            self.PROFILE.name: Q(pk__in=among(accepted)),
            self.AGE.name: (Q(mentor_min_age__isnull=True) | Q(mentor_min_age__lte=self.age))
            & ~Q(pk__in=among(accepted.filter(min_age__gt=self.age))),
            self.DURATION.name: Value(True)
            if months is None
            else Q(duration_min_months__isnull=True) | Q(duration_min_months__lte=months),
            self.RHYTHM.name: Q(meetings_asked__isnull=True)
            | Q(meetings_asked__lte=within_reach(self.yearly_meetings)),
            self.HOURS.name: Q(hours_asked__isnull=True)
            | Q(hours_asked__lte=within_reach(self.yearly_hours)),
        }

    def ranks(self):
        profiles = AcceptedMentorProfile.objects
        asks_more = Q(meetings_asked__gt=self.yearly_meetings) | Q(
            hours_asked__gt=self.yearly_hours
        )
        return [
            Rank(
                "fit",
                Case(When(fewer_than_average(profiles), then=Value(1)), default=Value(0)),
            ),
            # Near misses after those that ask no more than offered.
            Rank("asks_more", Case(When(asks_more, then=Value(1)), default=Value(0)), False),
            Rank("modality_fit", modality_points(self.modality)),
        ]

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

    def profiles(self, association):
        return [accepted.profile.name for accepted in association.acceptedmentorprofile_set.all()]

    def explain(self, association, match, unmet):
        made_for = fits_time = ""
        if self.PROFILE not in unmet:
            if association.fit:
                profiles = listing(self.profiles(association))
                match.reasons.append(
                    _("Accepte seulement les mentors : %(profiles)s") % {"profiles": profiles}
                )
                made_for = _("Faite pour : %(level)s") % {"level": lower_first(self.profile.name)}
            else:
                name = lower_first(self.profile.name)
                match.reasons.append(_("Accepte les mentors : %(profile)s") % {"profile": name})
            accepted = association.accepted_profile(self.profile)
            if accepted.requirements:
                requirements = marked(accepted, "requirements")
                match.caveats.append(
                    filled(
                        _("Condition pour votre situation : %(requirements)s"),
                        requirements=requirements,
                    )
                )
        if self.AGE not in unmet:
            if minimum := association.mentor_minimum_age(self.profile):
                match.reasons.append(mentors_from(minimum))
            elif self.age < self.ADULT:
                match.caveats.append(_("Âge minimum des mentors : à demander à l’association"))

        if self.DURATION not in unmet:
            if association.duration_text:
                duration = marked(association, "duration_text", lower_first)
                match.reasons.append(filled(_("Engagement : %(duration)s"), duration=duration))
            elif association.duration_min_months is not None:
                months = number(association.duration_min_months)
                match.reasons.append(
                    _("Engagement : au moins %(months)s mois") % {"months": months}
                )
            else:
                match.reasons.append(_("Pas de durée minimale d’engagement"))

        # Within reach (what `conditions` keeps): what is asked, or a little more.
        frequency, time = association.frequency_label, association.time_label
        if frequency and self.RHYTHM not in unmet:
            if (association.yearly_meetings or 0) > self.yearly_meetings:
                match.differences.append(
                    _("Demande des rencontres un peu plus fréquentes : %(rhythm)s")
                    % {"rhythm": frequency}
                )
            else:
                match.reasons.append(_("Rythme : %(rhythm)s") % {"rhythm": frequency})
        if time and self.HOURS not in unmet:
            if (association.yearly_hours or 0) > self.yearly_hours:
                match.differences.append(
                    _("Demande un peu plus de temps : %(time)s") % {"time": time}
                )
            else:
                fits_time = _("Temps : %(time)s") % {"time": time}
                match.reasons.append(fits_time)
        if not (frequency or time) and association.frequency_text:
            rhythm = marked(association, "frequency_text", lower_first)
            match.reasons.append(filled(_("Rythme : %(rhythm)s"), rhythm=rhythm))

        say_modality(association, self.modality, match)
        if association.venues.all():
            match.reasons.append(venues(association))
        headline(match, made_for, fits_time)

    def gap(self, association, criterion):
        if criterion == self.PROFILE:
            if profiles := self.profiles(association):
                return _("Mentors acceptés : %(profiles)s") % {"profiles": listing(profiles)}
            return _("Ne précise pas les mentors acceptés")
        if criterion == self.AGE:
            return mentors_from(association.mentor_minimum_age(self.profile))
        if criterion == self.DURATION:
            if association.duration_text:
                duration = marked(association, "duration_text", lower_first)
                return filled(_("Demande un engagement : %(duration)s"), duration=duration)
            months = number(association.duration_min_months)
            return _("Demande un engagement d’au moins %(months)s mois") % {"months": months}
        if criterion == self.RHYTHM:
            return _("Demande des rencontres plus fréquentes : %(rhythm)s") % {
                "rhythm": association.frequency_label
            }
        return _("Demande plus de temps : %(time)s") % {"time": association.time_label}
