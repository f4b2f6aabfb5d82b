# The per-month figures give way to the frequency and hours of 0010 (converted by 0011).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("associations", "0012_time_from_monthly_figures")]

    operations = [
        migrations.RemoveConstraint(
            model_name='association',
            name='association_meetings_range',
        ),
        migrations.AddConstraint(
            model_name='association',
            constraint=models.CheckConstraint(condition=models.Q(('meetings_min__isnull', True), ('meetings_max__isnull', True), ('meetings_min__lte', models.F('meetings_max')), _connector='OR'), name='association_meetings_range', violation_error_message='Le nombre minimal de rencontres doit être inférieur ou égal au nombre maximal.'),
        ),
        migrations.AddConstraint(
            model_name='association',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('meetings_max__isnull', True), ('meetings_min__isnull', True)), models.Q(('meetings_period', ''), _negated=True), _connector='OR'), name='association_meetings_period', violation_error_message='Dites si les rencontres sont comptées par semaine ou par mois.'),
        ),
        migrations.AddConstraint(
            model_name='association',
            constraint=models.CheckConstraint(condition=models.Q(('hours__isnull', True), models.Q(('hours_period', ''), _negated=True), _connector='OR'), name='association_hours_period', violation_error_message='Dites si les heures sont comptées par rencontre, par semaine ou par mois.'),
        ),
        migrations.RemoveField(
            model_name='association',
            name='hours_per_month_min',
        ),
        migrations.RemoveField(
            model_name='association',
            name='meetings_per_month_max',
        ),
        migrations.RemoveField(
            model_name='association',
            name='meetings_per_month_min',
        ),
    ]
