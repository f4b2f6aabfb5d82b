from django.db import migrations
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce


def count_places_taken(apps, schema_editor):
    """Fill `places_taken` from the requests already taken on (young people only)."""
    Association = apps.get_model("associations", "Association")
    Referral = apps.get_model("referrals", "Referral")
    taken = (
        Referral.objects.filter(kind="jeune", status="prise_en_charge", association=OuterRef("pk"))
        .order_by()
        .values("association")
        .annotate(count=Count("pk"))
        .values("count")
    )
    Association.objects.update(places_taken=Coalesce(Subquery(taken), 0))


class Migration(migrations.Migration):
    dependencies = [
        ("associations", "0008_places_taken"),
        ("referrals", "0002_staff_permissions"),
    ]

    operations = [migrations.RunPython(count_places_taken, migrations.RunPython.noop)]
