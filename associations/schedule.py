"""An association's time as people say it: how often, how long, and the same per year.

The brochure says "1 à 2 fois par semaine", "2 h par semaine", "3 h par mois": staff
keep those words as numbers and a period (Association.meetings_min, meetings_max,
meetings_period, hours, hours_period). To compare them with what a volunteer offers,
everything is counted per year (52 weeks, 12 months), in Python for the associations
shown and in SQL for the whole directory: both from here.
"""

from decimal import Decimal

from django.db.models import Case, DecimalField, F, Value, When
from django.utils.translation import ngettext_lazy

from core.french import number
from core.vocabularies import MONTHS_PER_YEAR, WEEKS_PER_YEAR, HoursPer, Period

HOURS_PER_YEAR = {HoursPer.WEEK: WEEKS_PER_YEAR, HoursPer.MONTH: MONTHS_PER_YEAR}
PER_MONTH = Decimal("0.1")  # the exports give a figure per month to one decimal

# Each phrase whole, so that a language puts number and period in its own order; the
# plural is chosen by the highest number said ("high", "count": ngettext_lazy's key).
FREQUENCIES = {
    ("range", Period.WEEK): ngettext_lazy(
        "%(low)s à %(high)s fois par semaine", "%(low)s à %(high)s fois par semaine", "high"
    ),
    ("range", Period.MONTH): ngettext_lazy(
        "%(low)s à %(high)s fois par mois", "%(low)s à %(high)s fois par mois", "high"
    ),
    ("exactly", Period.WEEK): ngettext_lazy(
        "%(count)s fois par semaine", "%(count)s fois par semaine", "count"
    ),
    ("exactly", Period.MONTH): ngettext_lazy(
        "%(count)s fois par mois", "%(count)s fois par mois", "count"
    ),
    ("at_least", Period.WEEK): ngettext_lazy(
        "au moins %(count)s fois par semaine", "au moins %(count)s fois par semaine", "count"
    ),
    ("at_least", Period.MONTH): ngettext_lazy(
        "au moins %(count)s fois par mois", "au moins %(count)s fois par mois", "count"
    ),
    ("up_to", Period.WEEK): ngettext_lazy(
        "jusqu’à %(count)s fois par semaine", "jusqu’à %(count)s fois par semaine", "count"
    ),
    ("up_to", Period.MONTH): ngettext_lazy(
        "jusqu’à %(count)s fois par mois", "jusqu’à %(count)s fois par mois", "count"
    ),
}
TIMES = {
    HoursPer.WEEK: ngettext_lazy("%(hours)s h par semaine", "%(hours)s h par semaine", "count"),
    HoursPer.MONTH: ngettext_lazy("%(hours)s h par mois", "%(hours)s h par mois", "count"),
    HoursPer.MEETING: ngettext_lazy(
        "%(hours)s h par rencontre", "%(hours)s h par rencontre", "count"
    ),
}
# Plurals count whole numbers: 1,5 h is counted as 100, said like a fraction in every
# language here (English "1.5 hours", Arabic "1.5 ساعة"; French "h" does not change).
FRACTION_COUNT = 100


def frequency_label(association):
    """ "1 à 4 fois par mois", "1 fois par semaine", "au moins 1 fois par mois", or ""."""
    if not association.meetings_period:
        return ""
    low, high = association.meetings_min, association.meetings_max
    period = Period(association.meetings_period)
    if low is not None and high is not None:
        kind = "range" if low != high else "exactly"
    elif low is not None or high is not None:
        kind = "at_least" if low is not None else "up_to"
    else:
        return ""
    return FREQUENCIES[kind, period] % {
        "low": low,
        "high": high,
        "count": high if low is None else low,
    }


def time_label(association):
    """ "2 h par semaine", "3 h par mois", "1,5 h par rencontre", or ""."""
    if association.hours is None or not association.hours_period:
        return ""
    hours = association.hours
    count = int(hours) if hours == int(hours) else FRACTION_COUNT
    return TIMES[HoursPer(association.hours_period)] % {"hours": number(hours), "count": count}


def yearly_meetings(association, count=None):
    """The meetings a year at the least (`count`: another number of them, the maximum)."""
    count = association.meetings_min if count is None else count
    if count is None or not association.meetings_period:
        return None
    return Decimal(count * Period(association.meetings_period).per_year)


def yearly_hours(association):
    """The hours a year at the least, None if the association does not say."""
    if association.hours is None or not association.hours_period:
        return None
    if association.hours_period == HoursPer.MEETING:
        meetings = yearly_meetings(association)
        return None if meetings is None else association.hours * meetings
    return association.hours * HOURS_PER_YEAR[HoursPer(association.hours_period)]


def per_month(yearly):
    return None if yearly is None else (yearly / MONTHS_PER_YEAR).quantize(PER_MONTH)


def with_yearly_time(queryset):
    """`meetings_asked` and `hours_asked` on each association: yearly_meetings() and
    yearly_hours(), in SQL."""
    decimal = DecimalField(max_digits=8, decimal_places=2)
    meetings = Case(
        *(
            When(meetings_period=period, then=F("meetings_min") * Value(period.per_year))
            for period in Period
        ),
        default=None,
        output_field=decimal,
    )
    per_year = {
        **{unit: Value(count) for unit, count in HOURS_PER_YEAR.items()},
        HoursPer.MEETING: F("meetings_asked"),
    }
    return queryset.annotate(meetings_asked=meetings).annotate(
        hours_asked=Case(
            *(When(hours_period=unit, then=F("hours") * per_year[unit]) for unit in HoursPer),
            default=None,
            output_field=decimal,
        )
    )
