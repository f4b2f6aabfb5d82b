# Time as people say it: an association's meetings ("1 à 2 fois par semaine") and hours
# ("2 h par semaine") next to the old per-month figures, which 0011 converts and 0012
# removes. Also: a plain explanation for every vocabulary term, the Collectif's phone,
# and whether an association's levels come from its partners rather than its own words.

import core.phone
import django.core.validators
from decimal import Decimal
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("associations", "0010_contact_email_confirmation")]

    operations = [
        migrations.AddField(
            model_name='association',
            name='hours',
            field=models.DecimalField(blank=True, decimal_places=1, help_text='«\xa02\xa0h par semaine\xa0»\xa0: 2. Vide si la brochure ne le dit pas.', max_digits=4, null=True, validators=[django.core.validators.MinValueValidator(Decimal('0.1'))], verbose_name='heures demandées au mentor (au moins)'),
        ),
        migrations.AddField(
            model_name='association',
            name='hours_period',
            field=models.CharField(blank=True, choices=[('rencontre', 'par rencontre'), ('semaine', 'par semaine'), ('mois', 'par mois')], max_length=10, verbose_name='heures par'),
        ),
        migrations.AddField(
            model_name='association',
            name='levels_from_partners',
            field=models.BooleanField(default=False, help_text='Cochez si l’association ne dit pas quels niveaux elle accompagne et qu’ils viennent de ses établissements partenaires. Un jeune dont l’âge est dans la tranche indiquée n’est alors jamais écarté pour son niveau\xa0: l’orientation lui dit de vérifier.', verbose_name='niveaux déduits des partenaires'),
        ),
        migrations.AddField(
            model_name='association',
            name='meetings_max',
            field=models.PositiveSmallIntegerField(blank=True, help_text='«\xa01 à 4 fois par mois\xa0»\xa0: 4. Vide s’il n’y a pas de maximum.', null=True, validators=[django.core.validators.MinValueValidator(1)], verbose_name='rencontres (au plus)'),
        ),
        migrations.AddField(
            model_name='association',
            name='meetings_min',
            field=models.PositiveSmallIntegerField(blank=True, help_text='«\xa01 à 4 fois par mois\xa0»\xa0: 1. Vide si la brochure ne le dit pas.', null=True, validators=[django.core.validators.MinValueValidator(1)], verbose_name='rencontres (au moins)'),
        ),
        migrations.AddField(
            model_name='association',
            name='meetings_period',
            field=models.CharField(blank=True, choices=[('semaine', 'par semaine'), ('mois', 'par mois')], max_length=10, verbose_name='rencontres par'),
        ),
        migrations.AddField(
            model_name='audience',
            name='explanation',
            field=models.TextField(blank=True, help_text='Pour un mot que tout le monde ne connaît pas (QPV, REP+…)\xa0: une ou deux phrases simples, montrées sous «\xa0Qu’est-ce que c’est\xa0?\xa0» dans les questionnaires.', verbose_name='qu’est-ce que c’est\xa0?'),
        ),
        migrations.AddField(
            model_name='collective',
            name='contact_phone',
            field=core.phone.PhoneNumberField(blank=True, help_text='Montré aux familles que l’orientation ne sait pas guider.', max_length=20, region=None, verbose_name='téléphone de contact'),
        ),
        migrations.AddField(
            model_name='level',
            name='explanation',
            field=models.TextField(blank=True, help_text='Pour un mot que tout le monde ne connaît pas (QPV, REP+…)\xa0: une ou deux phrases simples, montrées sous «\xa0Qu’est-ce que c’est\xa0?\xa0» dans les questionnaires.', verbose_name='qu’est-ce que c’est\xa0?'),
        ),
        migrations.AddField(
            model_name='mentorprofile',
            name='explanation',
            field=models.TextField(blank=True, help_text='Pour un mot que tout le monde ne connaît pas (QPV, REP+…)\xa0: une ou deux phrases simples, montrées sous «\xa0Qu’est-ce que c’est\xa0?\xa0» dans les questionnaires.', verbose_name='qu’est-ce que c’est\xa0?'),
        ),
        migrations.AddField(
            model_name='need',
            name='explanation',
            field=models.TextField(blank=True, help_text='Pour un mot que tout le monde ne connaît pas (QPV, REP+…)\xa0: une ou deux phrases simples, montrées sous «\xa0Qu’est-ce que c’est\xa0?\xa0» dans les questionnaires.', verbose_name='qu’est-ce que c’est\xa0?'),
        ),
        migrations.AddField(
            model_name='partnertype',
            name='explanation',
            field=models.TextField(blank=True, help_text='Pour un mot que tout le monde ne connaît pas (QPV, REP+…)\xa0: une ou deux phrases simples, montrées sous «\xa0Qu’est-ce que c’est\xa0?\xa0» dans les questionnaires.', verbose_name='qu’est-ce que c’est\xa0?'),
        ),
        migrations.AddField(
            model_name='venue',
            name='explanation',
            field=models.TextField(blank=True, help_text='Pour un mot que tout le monde ne connaît pas (QPV, REP+…)\xa0: une ou deux phrases simples, montrées sous «\xa0Qu’est-ce que c’est\xa0?\xa0» dans les questionnaires.', verbose_name='qu’est-ce que c’est\xa0?'),
        ),
    ]
