"""Figures for staff: the requests, by association and by month.

Counts only: no name, no contact, no message ever leaves the requests table here.
The requests of the last twelve months are read in one query and counted in
Python (a few thousand rows at most). What the orientation forms were asked is
counted by orientation.statistics; the admin's statistics page shows both.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from statistics import median

from django.db.models import Count
from django.utils import formats, timezone

from core.french import NBSP
from core.vocabularies import Seeker

from .models import ANSWERED, FINISHED, DeclineReason, Referral, Status
from .retention import months_before

MONTHS = 12  # the period of the statistics page, unless another is chosen
PERIODS = (1, 3, 6, 12, 24)  # the periods staff can choose, in months (1: this month)


def period_label(months):
    """ "ce mois-ci", "les 12 derniers mois" (this one included)."""
    return "ce mois-ci" if months == 1 else f"les {months}{NBSP}derniers mois"


def days(delta):
    return delta / timedelta(days=1)


def median_days(deltas):
    return round(median(days(delta) for delta in deltas), 1) if deltas else None


def median_text(value):
    if value is None:
        return None
    if value < 1:
        return "moins d’un jour"
    return f"{formats.number_format(value, 1)}{NBSP}jour{'s' if value >= 2 else ''}"


@dataclass
class Row:
    """Requests of one association or one month."""

    label: str
    young: int = 0
    volunteer: int = 0
    taken: int = 0
    finished: int = 0
    unanswered: int = 0
    answered: int = 0
    declined: int = 0
    delays: list = field(default_factory=list)

    @property
    def total(self):
        return self.young + self.volunteer

    @property
    def median_days(self):
        return median_days(self.delays)

    @property
    def answer_rate(self):
        """Percentage of the requests the association answered (any answer), or None."""
        return round(100 * self.answered / self.total) if self.total else None

    @property
    def answer_rate_text(self):
        return f"{self.answer_rate}{NBSP}%" if self.answer_rate is not None else None

    @property
    def median_text(self):
        """ "moins d’un jour", "2,5 jours", or None before any answer."""
        return median_text(self.median_days)

    def add(self, kind, status, created_at, answered_at):
        if kind == Seeker.YOUNG_PERSON:
            self.young += 1
        else:
            self.volunteer += 1
        self.taken += status == Status.TAKEN
        self.finished += status in FINISHED
        self.unanswered += status not in ANSWERED
        self.declined += status == Status.DECLINED
        if answered_at is not None:
            self.answered += 1
            self.delays.append(answered_at - created_at)


def month_start(day):
    return day.replace(day=1)


def requests_since(start=None):
    referrals = Referral.objects.order_by("created_at")
    if start is not None:
        referrals = referrals.filter(created_at__date__gte=start)
    return referrals.values_list(
        "association__name", "kind", "status", "created_at", "answered_at", "decline_reason"
    )


def requests_overview(today, months=MONTHS):
    start = month_start(months_before(today, months - 1))
    total = Row("Toutes les associations")
    by_association, by_month = {}, {}
    reasons = dict.fromkeys(DeclineReason, 0)
    for name, kind, status, created_at, answered_at, reason in requests_since(start):
        if reason:
            reasons[DeclineReason(reason)] += 1
        month = month_start(timezone.localdate(created_at))
        for rows, key, label in [
            (by_association, name, name),
            (by_month, month, formats.date_format(month, "F Y")),
        ]:
            rows.setdefault(key, Row(label)).add(kind, status, created_at, answered_at)
        total.add(kind, status, created_at, answered_at)
    return {
        "start": start,
        "months": months,
        "label": period_label(months),
        "total": total,
        "by_association": sorted(by_association.values(), key=lambda row: row.label.casefold()),
        "by_month": [by_month[month] for month in sorted(by_month, reverse=True)],
        "awaiting_emails": Referral.objects.awaiting_emails().count(),
        # Requests sent again from a family's message, and where they are now.
        "resent": resent_outcomes(start),
        # Why associations declined (their answer through the link), most given first.
        "decline_reasons": sorted(
            ((reason.label, count) for reason, count in reasons.items() if count),
            key=lambda item: -item[1],
        ),
    }


def resent_outcomes(start):
    """[(status label, count)] of the requests sent again since `start`."""
    counts = (
        Referral.objects.filter(resent=True, created_at__date__gte=start)
        .order_by()
        .values_list("status")
        .annotate(count=Count("pk"))
    )
    found = dict(counts)
    return [(status.label, found[status]) for status in Status if found.get(status)]


REFERRALS_CSV_HEADER = [
    "mois",
    "association",
    "demande_de",
    "demandes",
    "prises_en_charge",
    "terminees",
    "sans_reponse",
    "delai_median_premiere_reponse_jours",
    "taux_de_reponse_pourcent",
    "declinees",
]


def referrals_csv_rows():
    """Every month, association and kind of request since the first: counts and delays."""
    rows = defaultdict(lambda: Row(""))
    for name, kind, status, created_at, answered_at, _reason in requests_since():
        month = month_start(timezone.localdate(created_at))
        rows[(month, name, kind)].add(kind, status, created_at, answered_at)
    for (month, name, kind), row in sorted(rows.items(), key=lambda item: item[0]):
        yield [
            f"{month:%Y-%m}",
            name,
            Seeker(kind).label,
            row.total,
            row.taken,
            row.finished,
            row.unanswered,
            row.median_days,
            row.answer_rate,
            row.declined,
        ]
