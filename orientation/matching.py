"""How a questionnaire's answers are matched against the directory, and what comes out.

Every rule reads the associations' data; none names an association. A
questionnaire (orientation.questionnaires) has hard criteria (an association that
fails one is left out, unless it only just misses) and ranking terms. Each hard
criterion is a boolean SQL expression annotated as `meets_<name>` on every
association; each ranking term is an SQL expression too. The database counts the
matches (and, when there are none, how many associations each criterion leaves out),
filters and ranks them; Django's Paginator cuts one page: Python only loads and turns
into words the associations shown, whatever the size of the directory.
"""

from abc import ABC, abstractmethod
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import (
    BooleanField,
    Case,
    Count,
    ExpressionWrapper,
    F,
    IntegerField,
    Q,
    Value,
    When,
)
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from associations.models import Association
from associations.models.querysets import BY_NAME

PER_PAGE = 20  # results per page
NEAREST = 3  # nearest options shown when nothing fits


# Results


@dataclass
class Match:
    association: Association
    # Why it fits; the first of them is the one line under its name.
    reasons: list[str] = field(default_factory=list)
    # What differs from the answers: a preference it does not meet, a little more time
    # than offered, or, for a nearest option, the criterion it fails.
    differences: list[str] = field(default_factory=list)
    # What to check with the association.
    caveats: list[str] = field(default_factory=list)
    # All its places are taken: ranked after those with places.
    waiting_list: bool = False
    # A nearest option of a search without result: it does not meet every answer.
    nearest: bool = False
    # The reason that tells most, if the questionnaire picked one.
    headline: str = ""

    @property
    def why(self):
        """The one line under its name that says why it fits."""
        return self.headline or (self.reasons[0] if self.reasons else "")


@dataclass(frozen=True)
class Criterion:
    name: str  # the parameter it reads, also `meets_<name>` on the associations
    label: str  # "l’âge" (translated when shown)
    # A condition the association states of the person (an age) is never relaxed: the
    # nearest options of a search without result always meet it.
    relaxable: bool = True


@dataclass(frozen=True)
class Rank:
    """A ranking term: an SQL expression annotated as `name`, highest first by default."""

    name: str
    expression: object
    descending: bool = True


@dataclass
class Exclusion:
    criterion: Criterion
    count: int


@dataclass
class Outcome:
    page: Page  # the page shown: its `object_list` is the page's ranked Matches
    total: int  # associations considered
    ranking: str = ""  # how the matches are ranked, in one sentence
    count: int = 0  # all the matches, on every page
    count_with_places: int = 0  # the matches that are not on a waiting list
    # When nothing fits: how many associations each criterion leaves out, most first…
    exclusions: list[Exclusion] = field(default_factory=list)
    # …and the few that miss a single relaxable criterion, best first.
    nearest: list[Match] = field(default_factory=list)

    @property
    def matches(self):
        return self.page.object_list

    @property
    def main_exclusion(self):
        return self.exclusions[0] if self.exclusions else None

    def detached(self):
        """The outcome without its queryset, to be kept in the cache: the page's Matches
        stay, the paginator only knows how many matches there are (it loads nothing)."""
        self.page.paginator = Paginator(range(self.count), self.page.paginator.per_page)
        return self


class CountedPaginator(Paginator):
    """Django's Paginator, told how many matches there are: `counts()` has counted them."""

    def __init__(self, object_list, per_page, *, count):
        super().__init__(object_list, per_page)
        self.known_count = count

    @cached_property
    def count(self):
        return self.known_count


class Questionnaire(ABC):
    """The answers of one person and how to match them. Subclasses define the criteria."""

    criteria: tuple[Criterion, ...] = ()
    # Whether a full association (waiting list) comes after those with places left.
    waiting_list_last = False

    @abstractmethod
    def conditions(self):
        """{criterion name: boolean expression, true for the associations that meet it}."""

    def ranks(self):
        """The ranking terms, most important first (then the name)."""
        return []

    @property
    def ranking(self):
        """How the matches are ranked, in one sentence."""
        return ""

    def prefetches(self):
        return ["contacts"]

    @abstractmethod
    def explain(self, association, match, unmet):
        """Fill in the reasons, differences and caveats; `unmet` criteria are not described."""

    @abstractmethod
    def gap(self, association, criterion):
        """Why the association does not meet `criterion`, in words."""

    def prepare(self, queryset):
        """The associations with what the conditions read (annotations), before them."""
        return queryset

    def annotate(self, queryset):
        """The associations, with `meets_<criterion>`, their ranks and all `explain` reads."""
        return (
            self.prepare(queryset.with_places().with_review_flag())
            .annotate(
                **{
                    f"meets_{name}": ExpressionWrapper(condition, output_field=BooleanField())
                    for name, condition in self.conditions().items()
                }
            )
            .annotate(
                **{
                    rank.name: ExpressionWrapper(rank.expression, output_field=IntegerField())
                    for rank in self.ranks()
                }
            )
            .prefetch_related(*self.prefetches())
        )

    def describe(self, association, unmet=()):
        match = Match(association, nearest=bool(unmet))
        match.differences = [self.gap(association, criterion) for criterion in unmet]
        self.explain(association, match, unmet)
        if self.waiting_list_last and association.has_waiting_list:
            match.waiting_list = True
            match.caveats.append(
                _("%(intake)s : indiqué le %(date)s")
                % {"intake": association.intake_label, "date": association.intake_date}
                if association.intake
                else _("Liste d’attente : toutes ses places dans la Cité éducative sont prises")
            )
        if association.has_public_review_items:
            # The directory's cards say it in the same words (one text to translate).
            match.caveats.append(
                _("Information à vérifier auprès de l’association (détails sur sa fiche)")
            )
        return match

    def meeting(self, *criteria):
        return Q(**{f"meets_{criterion.name}": True for criterion in criteria})

    def order(self):
        """Waiting lists last (for young people), the ranking terms, then by name (its index)."""
        order = [F(r.name).desc() if r.descending else F(r.name).asc() for r in self.ranks()]
        if self.waiting_list_last:
            # Waiting lists after those with places, and those that take none now last.
            order[:0] = [F("has_waiting_list"), F("takes_no_request_now")]
        return [*order, *BY_NAME]

    def ordered(self, queryset):
        return queryset.order_by(*self.order())

    def counts(self, associations):
        """One aggregate: all, the matches, those with places, those each criterion leaves out."""
        everything = self.meeting(*self.criteria)
        return associations.order_by().aggregate(
            total=Count("pk"),
            matching=Count("pk", filter=everything),
            matching_with_places=Count("pk", filter=everything & Q(has_waiting_list=False)),
            **{f"without_{c.name}": Count("pk", filter=~self.meeting(c)) for c in self.criteria},
        )

    def evaluate(self, associations, page_number=None, per_page=PER_PAGE):
        """The page `page_number` of the ranked matches; when none fits, why and what is nearest.

        `page_number` is the `page` parameter as sent: Paginator.get_page() shows the
        first page for anything but a number, the last one for a number out of range.
        """
        associations = self.annotate(associations)
        counts = self.counts(associations)
        ranked = self.ordered(associations.filter(self.meeting(*self.criteria)))
        paginator = CountedPaginator(ranked, per_page, count=counts["matching"])
        page = paginator.get_page(page_number)
        # Only the associations of the page are loaded, and described.
        page.object_list = [self.describe(a) for a in page.object_list] if paginator.count else []
        outcome = Outcome(
            page=page,
            total=counts["total"],
            ranking=self.ranking,
            count=counts["matching"],
            count_with_places=counts["matching_with_places"],
        )
        if outcome.count:
            return outcome
        for criterion in self.criteria:
            if count := counts[f"without_{criterion.name}"]:
                outcome.exclusions.append(Exclusion(criterion, count))
        outcome.exclusions.sort(key=lambda exclusion: -exclusion.count)
        outcome.nearest = [
            self.describe(association, self.unmet(association))
            for association in self.nearest(associations)
        ]
        return outcome

    def unmet(self, association):
        return [c for c in self.criteria if not getattr(association, f"meets_{c.name}")]

    def nearest(self, associations, limit=NEAREST):
        """The best `limit` associations that miss one relaxable criterion, and only that one.

        One query (and its prefetches): the database counts what each one misses.
        """
        relaxable = [c for c in self.criteria if c.relaxable]
        firm = [c for c in self.criteria if not c.relaxable]
        if not relaxable:
            return []
        missed = sum(
            (Case(When(self.meeting(c), then=Value(0)), default=Value(1)) for c in relaxable),
            start=Value(0),
        )
        return list(
            self.ordered(
                associations.filter(self.meeting(*firm))
                .alias(missed=ExpressionWrapper(missed, output_field=IntegerField()))
                .filter(missed=1)
            )[:limit]
        )
