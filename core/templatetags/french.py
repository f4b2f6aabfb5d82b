from django import template

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
