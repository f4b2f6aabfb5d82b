import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    """A request's last change, for the admin's optimistic lock. Existing requests take
    the moment of the migration (what they were changed before is not known)."""

    dependencies = [
        ("referrals", "0006_referent_and_submission_token"),
    ]

    operations = [
        migrations.AddField(
            model_name="referral",
            name="updated_at",
            field=models.DateTimeField(
                auto_now=True, default=django.utils.timezone.now, verbose_name="modifiée le"
            ),
            preserve_default=False,
        ),
    ]
