from datetime import date, datetime

from django import template
from django.utils import timezone

from core import french
from core.french import is_plural

register = template.Library()


@register.filter
def pluriel(count, suffixes="s"):
    """French plural: "0 association", "1 association", "2 associations".

    Django's `pluralize` puts 0 in the plural, as English does. With two suffixes
    ("l,ux") the first is for the singular: "1 lieu" / "2 lieux".
    """
    singular, _, plural = suffixes.rpartition(",")
    try:
        return plural if is_plural(int(count)) else singular
    except (TypeError, ValueError):
        return singular


@register.filter(expects_localtime=True)
def long_date(value):
    """ "1er décembre 2026" (a date, or a datetime in the site's time zone); "" otherwise."""
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        value = value.date()
    return french.long_date(value) if isinstance(value, date) else ""


@register.filter
def thousands(value):
    """31125 → "31 125" (thin non-breaking space); anything but a number as it is."""
    try:
        return french.thousands(value)
    except (TypeError, ValueError):
        return value
