"""Figures for staff: what the orientation forms were asked, week by week.

Counts only: the searches are already counted per week and per criteria
(orientation.models.WeeklySearch), with no person, address nor time. The
questions, their order, their short labels and the words of their answers come from
the forms (orientation.forms): a question added there is counted here.
"""

from collections import Counter, defaultdict

from core.french import NBSP, number
from core.vocabularies import Seeker

from .forms import FORMS
from .models import WeeklySearch, iso_week, week_of

UNMET_ROWS = 30  # the most frequent searches without an association with places


def questions(seeker):
    """{parameter: form field} of the questionnaire of `seeker`, in the form's order."""
    return FORMS[seeker].base_fields


class Words:
    """The words of the slugs in the saved criteria: vocabularies are read once."""

    def __init__(self):
        self.names = {}

    def value(self, seeker, name, value):
        field = questions(seeker).get(name)
        unknown = getattr(field, "unknown", None)  # "Je ne sais pas"
        if unknown is not None and value == unknown.slug:
            return unknown.name
        queryset = getattr(field, "queryset", None)
        if queryset is not None:
            names = self.names.get(queryset.model)
            if names is None:
                names = self.names[queryset.model] = dict(queryset.values_list("slug", "name"))
            return names.get(value, value)
        if isinstance(value, int | float) and not isinstance(value, bool):
            return number(str(value))  # 1.5 hours: "1,5"
        choices = dict(getattr(field, "choices", ()))  # who answers, rhythm, modality…
        return choices.get(value, str(value))

    def values(self, seeker, name, value):
        values = value if isinstance(value, list) else [value]
        return [self.value(seeker, name, item) for item in values]

    def describe(self, seeker, answers):
        """« Âge : 12 · Situation : Collège · Besoins : Confiance en soi, Orientation »."""
        return " · ".join(
            f"{field.short_label}{NBSP}: "
            + ", ".join(map(str, self.values(seeker, name, answers[name])))
            for name, field in questions(seeker).items()
            if name in answers
        )


def answer_order(item):
    """Numbers (ages, months, hours) in their order; words the most searched first."""
    label, count = item
    text = str(label)
    if text.isascii() and text.isdigit():
        return (0, int(text), "")
    return (1, -count, text.casefold())


def searches_overview(today, since):
    """The searches since `since`: the weeks when some were made, and their answers."""
    words = Words()
    period_start = week_of(since)
    weeks = defaultdict(lambda: {seeker: Counter() for seeker in Seeker})
    criteria = {seeker: defaultdict(Counter) for seeker in Seeker}
    unmet = Counter()
    rows = WeeklySearch.objects.since(period_start).order_by()
    for row in rows.only("week", "seeker", "criteria", "searches", "without_result", "only_full"):
        counts = Counter(
            searches=row.searches, without_result=row.without_result, only_full=row.only_full
        )
        if row.searches:
            weeks[row.week][row.seeker].update(counts)
        for name, value in row.answers.items():
            for label in words.values(row.seeker, name, value):
                criteria[row.seeker][name][label] += row.searches
        if row.without_result or row.only_full:
            unmet[(row.seeker, row.criteria)] += row.without_result + row.only_full
    return {
        "start": period_start,
        "weeks": [
            {
                "week": week,
                "iso": iso_week(week),
                "young": counts[Seeker.YOUNG_PERSON]["searches"],
                "volunteer": counts[Seeker.VOLUNTEER]["searches"],
                "without_result": sum(c["without_result"] for c in counts.values()),
                "only_full": sum(c["only_full"] for c in counts.values()),
            }
            for week, counts in sorted(weeks.items(), reverse=True)
        ],
        "criteria": [
            {
                "seeker": seeker.label,
                "criteria": [
                    {
                        "label": field.short_label,
                        "values": sorted(counter.items(), key=answer_order),
                    }
                    for name, field in questions(seeker).items()
                    if (counter := criteria[seeker].get(name))
                ],
            }
            for seeker in Seeker
        ],
        "unmet": [
            {
                "seeker": Seeker(seeker).label,
                "criteria": words.describe(seeker, WeeklySearch(criteria=key).answers),
                "count": count,
            }
            for (seeker, key), count in unmet.most_common(UNMET_ROWS)
        ],
    }


def unmet_searches(since):
    """The unmet needs that `searches_overview(…, since)` lists, counted in one query."""
    return WeeklySearch.objects.since(week_of(since)).count_unmet()


SEARCHES_CSV_HEADER = [
    "semaine",
    "lundi",
    "questionnaire",
    "criteres",
    "recherches",
    "sans_resultat",
    "seulement_completes",
]


def searches_csv_rows():
    """Every week's searches by criteria: counts, without result, only full associations."""
    words = Words()
    for row in WeeklySearch.objects.order_by("week", "seeker", "criteria"):
        yield [
            row.iso_week,
            row.week.isoformat(),
            row.get_seeker_display(),
            words.describe(row.seeker, row.answers),
            row.searches,
            row.without_result,
            row.only_full,
        ]
