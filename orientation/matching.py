"""How a questionnaire's answers are matched against the directory, and what comes out.

Every rule reads the associations' data; none names an association. A
questionnaire (orientation.questionnaires) has hard criteria (an association that
fails one is left out) and soft ones (they only rank). Each hard criterion is a
boolean SQL expression annotated as `meets_<name>` on every association; the score
is an SQL expression too. The database counts the matches (and, when there are
none, how many associations each criterion leaves out), filters and ranks them;
Django's Paginator cuts one page: Python only loads and turns into words the
associations shown, whatever the size of the directory.
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
    Window,
)
from django.db.models.functions import Lower, RowNumber
from django.utils.functional import cached_property

from associations.models import Association
from core.french import sentence

PER_PAGE = 20  # results per page
NEAREST = 10  # nearest options shown per relaxed criterion


# Results


@dataclass
class Match:
    association: Association
    score: int = 0
    reasons: list[str] = field(default_factory=list)
    caveats: list[str] = field(default_factory=list)
    # Why the association does not fit, for the nearest options of a search without result.
    gaps: list[str] = field(default_factory=list)
    # All its places are taken: ranked after those with places, whatever its points.
    waiting_list: bool = False


@dataclass(frozen=True)
class Criterion:
    name: str  # the parameter it reads, also `meets_<name>` on the associations
    label: str  # "l’âge"
    relaxed: str  # "Sans tenir compte de l’âge"


@dataclass
class Exclusion:
    criterion: Criterion
    count: int


@dataclass
class Relaxation:
    criterion: Criterion
    matches: list[Match]


@dataclass
class Outcome:
    page: Page  # the page shown: its `object_list` is the page's ranked Matches
    total: int  # associations considered
    ranking: str = ""  # how the matches are ranked, in one sentence
    count: int = 0  # all the matches, on every page
    count_with_places: int = 0  # the matches that are not on a waiting list
    # When nothing fits: how many associations each criterion leaves out, most first…
    exclusions: list[Exclusion] = field(default_factory=list)
    # …and what would fit if one criterion were dropped.
    relaxations: list[Relaxation] = field(default_factory=list)

    @property
    def matches(self):
        return self.page.object_list

    @property
    def main_exclusion(self):
        return self.exclusions[0] if self.exclusions else None


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
    ranking = ""
    # Whether a full association (waiting list) comes after those with places left.
    waiting_list_last = False

    @abstractmethod
    def conditions(self):
        """{criterion name: boolean expression, true for the associations that meet it}."""

    def prefetches(self):
        return ["contacts"]

    @abstractmethod
    def explain(self, association, match, unmet):
        """Fill in the reasons, caveats and score; the criteria in `unmet` are not described."""

    @abstractmethod
    def gap(self, association, criterion):
        """Why the association does not meet `criterion`, in words."""

    def score(self):
        """The points of `explain`, as an SQL expression (the ranking)."""
        return Value(0)

    def annotate(self, queryset):
        """The associations, with `meets_<criterion>`, their score and all that `explain` reads."""
        return (
            queryset.with_places()
            .annotate(
                **{
                    f"meets_{name}": ExpressionWrapper(condition, output_field=BooleanField())
                    for name, condition in self.conditions().items()
                },
                points=ExpressionWrapper(self.score(), output_field=IntegerField()),
            )
            .prefetch_related(*self.prefetches())
        )

    def describe(self, association, unmet=()):
        match = Match(association, gaps=[self.gap(association, c) for c in unmet])
        self.explain(association, match, unmet)
        if self.waiting_list_last and association.has_waiting_list:
            match.waiting_list = True
            match.caveats.append(
                sentence("Liste d’attente", "toutes ses places dans la Cité éducative sont prises")
            )
        return match

    def meeting(self, *criteria):
        return Q(**{f"meets_{criterion.name}": True for criterion in criteria})

    def order(self):
        """Waiting lists last (for young people), most points first, then by name (its index)."""
        order = [F("points").desc(), Lower("name"), F("pk")]
        if self.waiting_list_last:
            order.insert(0, F("has_waiting_list"))
        return order

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
        nearest = self.nearest(associations)
        for criterion in self.criteria:
            if count := counts[f"without_{criterion.name}"]:
                outcome.exclusions.append(Exclusion(criterion, count))
            if nearest[criterion]:
                matches = [self.describe(a, [criterion]) for a in nearest[criterion]]
                outcome.relaxations.append(Relaxation(criterion, matches))
        outcome.exclusions.sort(key=lambda exclusion: -exclusion.count)
        return outcome

    def nearest(self, associations, limit=NEAREST):
        """{criterion: the best `limit` associations that meet every criterion but this one}.

        One query of keys ranks them all (a window function numbers each relaxation's
        candidates), one more loads them with their prefetches.
        """
        relaxed = Case(
            *(
                When(
                    ~self.meeting(c) & self.meeting(*(o for o in self.criteria if o != c)),
                    then=Value(c.name),
                )
                for c in self.criteria
            ),
            default=Value(""),
        )
        candidates = (
            associations.prefetch_related(None)
            .annotate(relaxed=relaxed)
            .exclude(relaxed="")
            .annotate(
                rank=Window(
                    RowNumber(),
                    partition_by=[F("relaxed")],
                    order_by=self.order(),
                )
            )
            .filter(rank__lte=limit)
            .values_list("pk", "relaxed", "rank")
        )
        keys = {pk: (name, rank) for pk, name, rank in candidates}
        loaded = associations.filter(pk__in=keys) if keys else []
        by_criterion = {c: [] for c in self.criteria}
        names = {c.name: c for c in self.criteria}
        for association in loaded:
            name, rank = keys[association.pk]
            by_criterion[names[name]].append((rank, association))
        return {c: [a for _, a in sorted(found)] for c, found in by_criterion.items()}
