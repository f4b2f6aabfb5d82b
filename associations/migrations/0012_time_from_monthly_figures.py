# An association's per-month figures, said again as people say them:
#   4 (and 8) meetings a month -> 1 (to 2) times a week; 1 to 4 a month stays per month;
#   8.7 hours a month -> 2 h a week (2 x 52 / 12 = 8.67); 3 hours a month stays per month.
# Also the first plain explanations of the vocabularies' jargon (staff edit them).

from decimal import Decimal

from django.db import migrations

WEEKS_PER_MONTH = Decimal(52) / Decimal(12)
MEETINGS_PER_WEEK = 4  # how the old figures counted a weekly meeting
ROUNDING = Decimal("0.05")

EXPLANATIONS = {
    "Audience": {
        "qpv": "Les quartiers prioritaires de la politique de la ville (QPV) sont des quartiers "
        "où l’État et la commune agissent davantage. Une grande partie de Roubaix en fait "
        "partie. Vous ne savez pas\u00a0? Cochez «\u00a0Je ne sais pas\u00a0»\u00a0: aucune association n’est "
        "écartée pour cela.",
        "rep": "REP et REP+ (réseaux d’éducation prioritaire)\u00a0: des écoles et des collèges qui "
        "ont plus de moyens pour aider leurs élèves. L’école ou le collège vous dira s’il en "
        "fait partie.",
        "refugie-immigration": "Un jeune réfugié, ou un jeune dont la famille est venue "
        "d’un autre pays.",
    },
    "Need": {
        "francais": "Apprendre le français de l’école, pour un élève arrivé depuis peu en "
        "France.",
    },
    "Venue": {
        "lieu-tiers": "Un lieu qui n’est ni chez le jeune ni à l’école\u00a0: une médiathèque, un "
        "centre social, un café…",
    },
}


def whole(value):
    """`value` as a whole number if it is one (to the rounding of the old figures), or None."""
    rounded = value.quantize(Decimal(1))
    return int(rounded) if abs(value - rounded) <= ROUNDING else None


def meetings(low, high):
    """(min, max, period) from meetings per month."""
    values = [value for value in (low, high) if value is not None]
    if not values:
        return None, None, ""
    weekly = [whole(value / MEETINGS_PER_WEEK) for value in values]
    if all(value % MEETINGS_PER_WEEK == 0 for value in values) and all(weekly):
        low_week = whole(low / MEETINGS_PER_WEEK) if low is not None else None
        high_week = whole(high / MEETINGS_PER_WEEK) if high is not None else None
        return low_week, high_week, "semaine"
    low_month = max(1, round(low)) if low is not None else None
    high_month = max(1, round(high)) if high is not None else None
    return low_month, high_month, "mois"


def hours(per_month):
    """(hours, per) from hours per month: per week when it is a whole or half number of it."""
    if per_month is None:
        return None, ""
    halves = whole(per_month / WEEKS_PER_MONTH * 2)
    if halves:
        return Decimal(halves) / 2, "semaine"
    return per_month, "mois"


def forwards(apps, schema_editor):
    Association = apps.get_model("associations", "Association")
    for association in Association.objects.all():
        low, high, period = meetings(
            association.meetings_per_month_min, association.meetings_per_month_max
        )
        association.meetings_min, association.meetings_max = low, high
        association.meetings_period = period
        association.hours, association.hours_period = hours(association.hours_per_month_min)
        association.save(
            update_fields=["meetings_min", "meetings_max", "meetings_period", "hours", "hours_period"]
        )
    add_explanations(apps, schema_editor)


def add_explanations(apps, schema_editor):
    for model_name, texts in EXPLANATIONS.items():
        model = apps.get_model("associations", model_name)
        for slug, text in texts.items():
            model.objects.filter(slug=slug, explanation="").update(explanation=text)


def per_month(value, period):
    if value is None:
        return None
    return Decimal(value) * (MEETINGS_PER_WEEK if period == "semaine" else 1)


def backwards(apps, schema_editor):
    Association = apps.get_model("associations", "Association")
    for association in Association.objects.all():
        period = association.meetings_period
        association.meetings_per_month_min = per_month(association.meetings_min, period)
        association.meetings_per_month_max = per_month(association.meetings_max, period)
        hours_per_month = None
        if association.hours is not None and association.hours_period == "semaine":
            hours_per_month = (association.hours * WEEKS_PER_MONTH).quantize(Decimal("0.1"))
        elif association.hours is not None and association.hours_period == "mois":
            hours_per_month = association.hours
        association.hours_per_month_min = hours_per_month
        association.save(
            update_fields=[
                "meetings_per_month_min",
                "meetings_per_month_max",
                "hours_per_month_min",
            ]
        )


class Migration(migrations.Migration):
    dependencies = [("associations", "0011_time_as_people_say_it")]

    operations = [migrations.RunPython(forwards, backwards)]
