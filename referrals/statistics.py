"""Figures for staff: requests and their answers, and what the orientation forms were asked.

Counts only: no name, no contact, no message ever leaves the requests table here.
The requests of the last twelve months are read in one query and counted in
Python (a few thousand rows at most); the searches are already counted per week.
"""

import csv
import io
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from statistics import median

from django.utils import formats, timezone

from associations.opendata import FORMULA_PREFIXES
from core.french import NBSP
from core.vocabularies import Seeker
from orientation.forms import FORMS
from orientation.models import WeeklySearch, iso_week, week_of

from .models import ANSWERED, Referral, Status, months_before

MONTHS = 12  # the requests' period
WEEKS = 26  # the weekly table of searches
UNMET_ROWS = 30  # the most frequent searches without an association with places


def days(delta):
    return delta / timedelta(days=1)


def median_days(deltas):
    return round(median(days(delta) for delta in deltas), 1) if deltas else None


@dataclass
class Row:
    """Requests of one association or one month."""

    label: str
    young: int = 0
    volunteer: int = 0
    taken: int = 0
    finished: int = 0
    unanswered: int = 0
    delays: list = field(default_factory=list)

    @property
    def total(self):
        return self.young + self.volunteer

    @property
    def median_days(self):
        return median_days(self.delays)

    def add(self, kind, status, created_at, answered_at):
        if kind == Seeker.YOUNG_PERSON:
            self.young += 1
        else:
            self.volunteer += 1
        self.taken += status == Status.TAKEN
        self.finished += status in {Status.CLOSED, Status.DROPPED}
        self.unanswered += status not in ANSWERED
        if answered_at is not None:
            self.delays.append(answered_at - created_at)


def month_start(day):
    return day.replace(day=1)


def requests_since(start=None):
    referrals = Referral.objects.order_by("created_at")
    if start is not None:
        referrals = referrals.filter(created_at__date__gte=start)
    return referrals.values_list("association__name", "kind", "status", "created_at", "answered_at")


def requests_overview(today):
    start = month_start(months_before(today, MONTHS - 1))
    total = Row("Toutes les associations")
    by_association, by_month = {}, {}
    for name, kind, status, created_at, answered_at in requests_since(start):
        month = month_start(timezone.localdate(created_at))
        for rows, key, label in [
            (by_association, name, name),
            (by_month, month, formats.date_format(month, "F Y")),
        ]:
            rows.setdefault(key, Row(label)).add(kind, status, created_at, answered_at)
        total.add(kind, status, created_at, answered_at)
    return {
        "start": start,
        "total": total,
        "by_association": sorted(by_association.values(), key=lambda row: row.label.casefold()),
        "by_month": [by_month[month] for month in sorted(by_month, reverse=True)],
        "awaiting_emails": Referral.objects.awaiting_emails().count(),
    }


# Orientation searches.


def questions(seeker):
    """{parameter: form field} of the questionnaire of `seeker`, in the form's order."""
    return FORMS[seeker].base_fields


class Words:
    """The words of the slugs in the saved criteria: vocabularies are read once."""

    def __init__(self):
        self.names = {}

    def value(self, seeker, name, value):
        field = questions(seeker).get(name)
        queryset = getattr(field, "queryset", None)
        if queryset is not None:
            names = self.names.get(queryset.model)
            if names is None:
                names = self.names[queryset.model] = dict(queryset.values_list("slug", "name"))
            return names.get(value, value)
        choices = dict(getattr(field, "choices", ()))  # the modalities
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


def searches_overview(today):
    words = Words()
    this_week = week_of(today)
    weeks_start = this_week - timedelta(weeks=WEEKS - 1)
    weeks = {
        weeks_start + timedelta(weeks=n): {seeker: Counter() for seeker in Seeker}
        for n in range(WEEKS)
    }
    period_start = week_of(months_before(today, MONTHS))
    criteria = {seeker: defaultdict(Counter) for seeker in Seeker}
    unmet = Counter()
    rows = WeeklySearch.objects.since(period_start).order_by()
    for row in rows.only("week", "seeker", "criteria", "searches", "without_result", "only_full"):
        counts = Counter(
            searches=row.searches, without_result=row.without_result, only_full=row.only_full
        )
        if row.week in weeks:
            weeks[row.week][row.seeker].update(counts)
        answers = row.answers
        for name, value in answers.items():
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
                        "values": sorted(
                            counter.items(), key=lambda item: (-item[1], str(item[0]))
                        ),
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


def overview(today):
    return {"requests": requests_overview(today), "searches": searches_overview(today)}


# CSV: the same conventions as the open data (UTF-8 with BOM, `;`, no formula).


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, float):
        return str(value).replace(".", ",")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _csv(header, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([_cell(value) for value in row] for row in rows)
    return buffer.getvalue().encode("utf-8-sig")


def referrals_csv():
    """Every month, association and kind of request since the first: counts and delays."""
    rows = defaultdict(lambda: Row(""))
    for name, kind, status, created_at, answered_at in requests_since():
        month = month_start(timezone.localdate(created_at))
        rows[(month, name, kind)].add(kind, status, created_at, answered_at)
    return _csv(
        [
            "mois",
            "association",
            "demande_de",
            "demandes",
            "prises_en_charge",
            "terminees",
            "sans_reponse",
            "delai_median_premiere_reponse_jours",
        ],
        [
            [
                f"{month:%Y-%m}",
                name,
                Seeker(kind).label,
                row.total,
                row.taken,
                row.finished,
                row.unanswered,
                row.median_days,
            ]
            for (month, name, kind), row in sorted(rows.items(), key=lambda item: item[0])
        ],
    )


def searches_csv():
    """Every week's searches by criteria: counts, without result, only full associations."""
    words = Words()
    rows = WeeklySearch.objects.order_by("week", "seeker", "criteria")
    return _csv(
        [
            "semaine",
            "lundi",
            "questionnaire",
            "criteres",
            "recherches",
            "sans_resultat",
            "seulement_completes",
        ],
        [
            [
                row.iso_week,
                row.week,
                row.get_seeker_display(),
                words.describe(row.seeker, row.answers),
                row.searches,
                row.without_result,
                row.only_full,
            ]
            for row in rows
        ],
    )
