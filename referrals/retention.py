"""How long requests are kept: the months counted back from a moment."""

import calendar

from django.conf import settings


def months_before(moment, months):
    """The same day `months` months earlier (the last day of a shorter month)."""
    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def retention_months():
    """Months a finished request is kept (REFERRAL_RETENTION_MONTHS); twice that if left open."""
    return settings.REFERRAL_RETENTION_MONTHS
