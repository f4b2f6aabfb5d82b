"""`{% retention as retention %}`: how long requests are kept, for pages outside this app."""

from django import template

from referrals.retention import retention_months

register = template.Library()


@register.simple_tag
def retention():
    """{"months": after a request is finished, "idle_months": after its last change}."""
    months = retention_months()
    return {"months": months, "idle_months": 2 * months}
